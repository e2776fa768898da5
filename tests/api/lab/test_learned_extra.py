"""The learned scorer in an installation without its `learned` extra (scikit-learn not
importable): a request that would weigh, configure or train it is a 409 `scorer-not-installed`
saying what to install, and changes nothing; one that stops weighing it passes; a stored one is
still listed by `GET /scoring/algorithms`, marked not installed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.lab.models import ReplayRun
from app.platform.core.clock import utcnow
from app.scoring.models import ScoringAlgorithm, ScoringConfigChange
from app.scoring.scorers.learned import NOT_INSTALLED
from tests.conftest import ADMIN_KEY, TRADE_KEY
from tests.helpers import assert_problem
from tests.missing_extra import sklearn_missing
from tests.sim_fixtures import live_clock_ms

API = "/api/symbol-mgmt"
BASE = f"{API}/scoring"
ADMIN = {"X-API-Key": ADMIN_KEY}
TRADE = {"X-API-Key": TRADE_KEY}
LEARNED = "learned"
WEIGH_IT = {
    "algorithms": [
        {"name": "risk", "weight": 0.5},
        {"name": LEARNED, "weight": 0.5, "is_active": True},
    ]
}


@pytest.fixture
def sim_config() -> dict[str, Any]:
    return {"universe": 4, "start_time_ms": live_clock_ms()}


@pytest.fixture
def without_learned_extra() -> Iterator[None]:
    with sklearn_missing():
        yield


async def stored(session: AsyncSession) -> tuple[dict[str, Any], int, int]:
    """The algorithm's rows, its recorded changes and the replay runs: what a refusal leaves."""
    rows = (await session.scalars(select(ScoringAlgorithm).order_by(ScoringAlgorithm.id))).all()
    algorithms = {a.name: (str(a.weight), a.is_active, dict(a.parameters)) for a in rows}
    changes = await session.scalar(select(func.count()).select_from(ScoringConfigChange))
    runs = await session.scalar(select(func.count()).select_from(ReplayRun))
    return algorithms, int(changes or 0), int(runs or 0)


async def store_learned(session: AsyncSession) -> None:
    """The algorithm weighing the learned scorer, as an installation with the extra stored it."""
    risk = await session.scalar(select(ScoringAlgorithm).where(ScoringAlgorithm.name == "risk"))
    assert risk is not None and risk.is_active
    risk.weight = Decimal("0.5")
    session.add(
        ScoringAlgorithm(
            name=LEARNED,
            weight=Decimal("0.5"),
            parameters={},
            is_active=True,
            description="plug-in component",
            updated_at=utcnow(),
            updated_by="test",
        )
    )
    await session.commit()  # a savepoint: a refused request's rollback leaves it


def refused(response: httpx.Response) -> dict[str, object]:
    body = assert_problem(response, 409, "scorer-not-installed")
    assert body["detail"] == NOT_INSTALLED
    assert "pip install 'mysymbols[learned]'" in NOT_INSTALLED
    assert "--build-arg EXTRAS=learned" in NOT_INSTALLED
    assert (body["component"], body["extra"]) == (LEARNED, LEARNED)
    return body


@pytest.mark.usefixtures("without_learned_extra")
class TestRefusedWithoutTheExtra:
    @pytest.mark.parametrize("dry_run", ["false", "true"])
    async def test_weighing_it_is_a_409_that_stores_nothing(
        self, api: httpx.AsyncClient, session: AsyncSession, dry_run: str
    ) -> None:
        before = await stored(session)
        response = await api.put(
            f"{BASE}/algorithms", params={"dry_run": dry_run}, json=WEIGH_IT, headers=ADMIN
        )
        refused(response)
        assert await stored(session) == before

    async def test_configuring_it_unweighed_is_a_409_too(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        before = await stored(session)
        sent = {"algorithms": [{"name": LEARNED, "parameters": {"plugins": {}}}]}
        refused(await api.put(f"{BASE}/algorithms", json=sent, headers=ADMIN))
        assert await stored(session) == before

    async def test_a_calibration_training_it_is_a_409_and_queues_no_run(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        before = await stored(session)
        response = await api.post(
            f"{BASE}/evidence/refresh", params={"learned": "true"}, headers=ADMIN
        )
        refused(response)
        assert await stored(session) == before

    async def test_a_replay_weighing_it_is_a_409_and_queues_no_run(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        before = await stored(session)
        end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        sent = {
            "from": (end - timedelta(days=2)).isoformat(),
            "to": end.isoformat(),
            "every": "24h",
            "overrides": {"scoring": {"weights": {"risk": 0.5, LEARNED: 0.5}}},
        }
        refused(await api.post(f"{API}/replays", json=sent, headers=TRADE))
        assert await stored(session) == before

    async def test_stopping_to_weigh_a_stored_one_is_applied(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await store_learned(session)
        _, recorded, _ = await stored(session)
        sent = {
            "algorithms": [{"name": LEARNED, "is_active": False}, {"name": "risk", "weight": 1.0}]
        }
        response = await api.put(f"{BASE}/algorithms", json=sent, headers=ADMIN)
        assert response.status_code == 200, response.text
        assert response.json()["applied"] is True
        algorithms, changes, _ = await stored(session)
        assert algorithms[LEARNED][:2] == ("0.5000", False)
        assert algorithms["risk"][:2] == ("1.0000", True)
        assert changes == recorded + 1

    async def test_a_stored_one_is_listed_marked_not_installed(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await store_learned(session)
        response = await api.get(f"{BASE}/algorithms", headers=ADMIN)
        assert response.status_code == 200, response.text
        shown = {a["name"]: a for a in response.json()["algorithms"]}
        assert shown[LEARNED]["weight"] == 0.5 and shown[LEARNED]["is_active"] is True
        assert shown[LEARNED]["not_installed"] == NOT_INSTALLED
        assert [n for n, a in shown.items() if a["not_installed"] is not None] == [LEARNED]


class TestWithTheExtra:
    async def test_weighing_it_is_applied(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        _, recorded, _ = await stored(session)
        response = await api.put(f"{BASE}/algorithms", json=WEIGH_IT, headers=ADMIN)
        assert response.status_code == 200, response.text
        shown = {a["name"]: a for a in response.json()["algorithms"]}
        assert shown[LEARNED]["is_active"] is True and shown[LEARNED]["weight"] == 0.5
        assert shown[LEARNED]["not_installed"] is None
        algorithms, changes, _ = await stored(session)
        assert algorithms[LEARNED][:2] == ("0.5000", True) and changes == recorded + 1
