"""A scoring run whose stored algorithm weighs the learned scorer, in an installation without its
`learned` extra: it completes, and scores the symbols by the other components alone (their
weights re-normalised, the confidence lowered by the learned share), the learned component
unmeasured: no value is made up for it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.core.clock import utcnow
from app.scoring.models import ScoringAlgorithm
from tests.conftest import READ_KEY, TRADE_KEY
from tests.missing_extra import sklearn_missing
from tests.sim_fixtures import live_clock_ms

BASE = "/api/symbol-mgmt/scoring"
TRADE = {"X-API-Key": TRADE_KEY}
READ = {"X-API-Key": READ_KEY}
UNIVERSE = 8


@pytest.fixture
def sim_config() -> dict[str, Any]:
    return {"universe": UNIVERSE, "start_time_ms": live_clock_ms()}


async def weigh_learned(session: AsyncSession) -> None:
    """Risk and the learned component at 0.5 each, as an installation with the extra stored."""
    risk = await session.scalar(select(ScoringAlgorithm).where(ScoringAlgorithm.name == "risk"))
    assert risk is not None
    risk.weight = Decimal("0.5")
    session.add(
        ScoringAlgorithm(
            name="learned",
            weight=Decimal("0.5"),
            parameters={"plugins": {"gbt_return_rank": {"model": "gbt-1-2-abcdef012345"}}},
            is_active=True,
            description="plug-in component",
            updated_at=utcnow(),
            updated_by="test",
        )
    )
    await session.commit()  # a savepoint, rolled back with the test


async def test_a_run_scores_the_other_components_and_leaves_learned_unmeasured(
    api: httpx.AsyncClient, session: AsyncSession
) -> None:
    await weigh_learned(session)
    with sklearn_missing():
        response = await api.post(f"{BASE}/calculate", params={"wait": 60}, headers=TRADE)
        assert response.status_code == 200, response.text
        run = response.json()
        assert run["status"] == "completed" and run["scored_count"] == UNIVERSE
        detail = (await api.get(f"{BASE}/runs/{run['id']}", headers=READ)).json()
        assert detail["config"]["weights"] == {
            "technical": 0.0,
            "fundamental": 0.0,
            "market_structure": 0.0,
            "risk": 0.5,
            "learned": 0.5,
        }
        rankings = (await api.get(f"{BASE}/rankings", headers=READ)).json()
    assert len(rankings["items"]) == UNIVERSE
    for item in rankings["items"]:
        assert "learned" not in item["components"]  # unmeasured: no score row of its own
        assert item["composite"] == pytest.approx(item["components"]["risk"], abs=1e-3)
        assert 0 < item["confidence"] <= 0.5  # the learned half of the weight measured nothing
