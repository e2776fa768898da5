"""Scoring parameters held to their declaration when they are sent (`PUT /scoring/algorithms`,
dry or not, a preset, a replay's overrides), and a stored value outside it kept, used and
alerted on rather than changed silently."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.lab.models import ReplayRun
from app.scoring.models import ScoringAlgorithm, ScoringConfigChange
from app.scoring.scorers.component_registry import parameters_schema
from tests.conftest import ADMIN_KEY, READ_KEY, TRADE_KEY
from tests.factories import make_candles, make_symbol
from tests.helpers import assert_problem
from tests.sim_fixtures import live_clock_ms

API = "/api/symbol-mgmt"
BASE = f"{API}/scoring"
ADMIN = {"X-API-Key": ADMIN_KEY}
TRADE = {"X-API-Key": TRADE_KEY}
READ = {"X-API-Key": READ_KEY}
UNIVERSE = 6


@pytest.fixture
def sim_config() -> dict[str, Any]:
    return {"universe": UNIVERSE, "start_time_ms": live_clock_ms()}


async def stored(session: AsyncSession) -> tuple[dict[str, Any], int, int]:
    """The algorithm's rows, its recorded changes and the replay runs: what a refusal leaves."""
    rows = (await session.scalars(select(ScoringAlgorithm).order_by(ScoringAlgorithm.id))).all()
    algorithms = {a.name: (str(a.weight), a.is_active, dict(a.parameters)) for a in rows}
    changes = await session.scalar(select(func.count()).select_from(ScoringConfigChange))
    runs = await session.scalar(select(func.count()).select_from(ReplayRun))
    return algorithms, int(changes or 0), int(runs or 0)


async def set_parameters(session: AsyncSession, name: str, parameters: dict[str, Any]) -> None:
    """Write a component's parameters as a release before the bounds could have stored them."""
    row = await session.scalar(select(ScoringAlgorithm).where(ScoringAlgorithm.name == name))
    assert row is not None
    row.parameters = parameters
    await session.commit()  # a savepoint: a refused request's rollback leaves it


async def calculate(api: httpx.AsyncClient) -> dict[str, Any]:
    response = await api.post(f"{BASE}/calculate", params={"wait": 60}, headers=TRADE)
    assert response.status_code == 200, response.text
    run = dict(response.json())
    assert run["status"] == "completed", run
    detail = await api.get(f"{BASE}/runs/{run['id']}", headers=READ)
    return dict(detail.json())


def refused_field(response: httpx.Response) -> str:
    body = assert_problem(response, 422, "validation-error")
    errors: list[dict[str, Any]] = body["errors"]  # type: ignore[assignment]
    assert errors[0]["location"] == "body"
    assert str(body["detail"]).startswith(f"{errors[0]['field']}: ")
    return str(errors[0]["field"])


class TestAlgorithmsRefuseOutOfBounds:
    @pytest.mark.parametrize("dry_run", ["false", "true"])
    async def test_a_string_window_is_a_422_naming_it_and_stores_nothing(
        self, api: httpx.AsyncClient, session: AsyncSession, dry_run: str
    ) -> None:
        before = await stored(session)
        sent = {"algorithms": [{"name": "risk", "parameters": {"volatility_window": "a week"}}]}
        response = await api.put(
            f"{BASE}/algorithms", params={"dry_run": dry_run}, json=sent, headers=ADMIN
        )
        assert refused_field(response) == "algorithms.0.parameters.volatility_window"
        assert "must be an integer from 2 to 2160" in response.json()["detail"]
        assert await stored(session) == before

    @pytest.mark.parametrize("dry_run", ["false", "true"])
    async def test_a_negative_window_is_refused_and_the_next_run_keeps_the_stored_one(
        self, api: httpx.AsyncClient, session: AsyncSession, dry_run: str
    ) -> None:
        before = await stored(session)
        sent = {
            "algorithms": [
                {"name": "technical", "weight": 0.0},
                {"name": "risk", "parameters": {"volatility_window": -24, "benchmark": "BTCUSDT"}},
            ]
        }
        response = await api.put(
            f"{BASE}/algorithms", params={"dry_run": dry_run}, json=sent, headers=ADMIN
        )
        assert refused_field(response) == "algorithms.1.parameters.volatility_window"
        assert await stored(session) == before
        run = await calculate(api)
        assert run["config"]["parameters"]["risk"]["volatility_window"] == 168

    async def test_every_field_out_of_bounds_is_named(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        before = await stored(session)
        sent = {
            "algorithms": [
                {
                    "name": "technical",
                    "parameters": {"macd": [12, 0, 9], "version": 2, "sigma_hours": 1.5},
                },
                {"name": "fundamental", "parameters": {"volume_growth_windows_d": [7]}},
                {"name": "risk", "parameters": {"volatility_window": True, "typo": 1}},
                {"name": "risk", "parameters": {"metric_weights": {"max_drawdown": -1}}},
            ]
        }
        response = await api.put(f"{BASE}/algorithms", json=sent, headers=ADMIN)
        refused_field(response)
        assert [e["field"] for e in response.json()["errors"]] == [
            "algorithms.0.parameters.macd.1",
            "algorithms.0.parameters.sigma_hours",
            "algorithms.1.parameters.volume_growth_windows_d",
            "algorithms.2.parameters.volatility_window",
            "algorithms.2.parameters.typo",
            "algorithms.3.parameters.metric_weights.max_drawdown",
        ]
        assert await stored(session) == before

    @pytest.mark.parametrize("dry_run", ["false", "true"])
    async def test_a_preset_over_a_stored_value_out_of_bounds_carries_it(
        self, api: httpx.AsyncClient, session: AsyncSession, dry_run: str
    ) -> None:
        """The preset touches not the value: it is put in force, the value kept as stored (the
        alert check names it), never refused on the caller's behalf nor changed silently."""
        await set_parameters(session, "technical", {"rsi_period": -3, "version": 2})
        response = await api.put(
            f"{BASE}/algorithms/presets/seed", params={"dry_run": dry_run}, headers=ADMIN
        )
        assert response.status_code in (200, 202), response.text
        algorithms, _, _ = await stored(session)
        assert algorithms["technical"][2]["rsi_period"] == -3


class TestReplayOverrides:
    async def test_a_value_the_replay_cannot_run_with_is_a_422_and_queues_nothing(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=72)
        await make_candles(session, await make_symbol(session), [100.0] * 72, start=start)
        await session.commit()  # a savepoint: a refused request's rollback leaves it
        span = {
            "from": (start + timedelta(hours=2)).isoformat(),
            "to": (start + timedelta(hours=48)).isoformat(),
        }
        before = await stored(session)
        cases = {
            "overrides.scoring.weights.technical": {"weights": {"technical": "0.5"}},
            "overrides.scoring.parameters.risk.volatility_window": {
                "parameters": {"risk": {"volatility_window": -24}}
            },
            "overrides.scoring.parameters.technical.bollinger.0": {
                "parameters": {"technical": {"bollinger": ["20", 2.0]}}
            },
            "overrides.scoring.gate.min_history": {"gate": {"min_history": "a week"}},
            # No setting holds it: the scorer's own, once queued and then failed in the gate.
            "overrides.scoring.gate.volume_lookback": {"gate": {"volume_lookback": "abc"}},
        }
        for field, scoring in cases.items():
            sent = {**span, "overrides": {"scoring": scoring}}
            response = await api.post(f"{API}/replays", json=sent, headers=TRADE)
            assert refused_field(response) == field
        margin = {**span, "overrides": {"policy": {"replacement_margin": "8"}}}
        response = await api.post(f"{API}/replays", json=margin, headers=TRADE)
        assert refused_field(response) == "overrides.policy.replacement_margin"
        assert await stored(session) == before
        weights = {"technical": 0.5, "risk": 0.5}  # with the stored ones, summing to 1
        accepted = {**span, "overrides": {"scoring": {"weights": weights}}}
        queued = await api.post(f"{API}/replays", json=accepted, headers=TRADE)
        assert queued.status_code == 202, queued.text


class TestDeclarationShown:
    async def test_each_algorithm_shows_its_parameters_schema(self, api: httpx.AsyncClient) -> None:
        body = (await api.get(f"{BASE}/algorithms", headers=ADMIN)).json()
        for algorithm in body["algorithms"]:
            assert algorithm["parameters_schema"] == parameters_schema(algorithm["name"])
            assert algorithm["parameters_outside_bounds"] == []
        risk = next(a for a in body["algorithms"] if a["name"] == "risk")
        window = risk["parameters_schema"]["properties"]["volatility_window"]
        assert (window["type"], window["minimum"], window["maximum"]) == ("integer", 2, 2160)


class TestStoredOutOfBounds:
    async def test_a_stored_negative_window_keeps_running_is_alerted_and_is_not_changed(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await set_parameters(session, "risk", {"volatility_window": -24, "benchmark": "BTCUSDT"})
        run = await calculate(api)
        assert run["scored_count"] > 0
        assert run["config"]["parameters"]["risk"]["volatility_window"] == -24
        checked = await api.post(f"{API}/alerts/check", headers=TRADE)
        assert checked.status_code == 200, checked.text
        fingerprint = "scoring_parameters:risk.volatility_window"
        assert fingerprint in checked.json()["raised"]
        [alert] = (
            await api.get(f"{API}/alerts", params={"kind": "scoring_parameters"}, headers=READ)
        ).json()
        assert alert["message"].startswith(
            "risk.volatility_window must be an integer from 2 to 2160, not -24"
        )
        assert alert["details"]["parameter"] == "volatility_window"
        shown = (await api.get(f"{BASE}/algorithms", headers=ADMIN)).json()
        risk = next(a for a in shown["algorithms"] if a["name"] == "risk")
        assert risk["parameters"]["volatility_window"] == -24  # kept as stored
        assert risk["parameters_outside_bounds"] == [
            "risk.volatility_window must be an integer from 2 to 2160, not -24"
        ]

        fixed = {"algorithms": [{"name": "risk", "parameters": {"volatility_window": 168}}]}
        response = await api.put(f"{BASE}/algorithms", json=fixed, headers=ADMIN)
        assert response.status_code == 200, response.text
        again = (await api.post(f"{API}/alerts/check", headers=TRADE)).json()
        assert fingerprint in again["resolved"]
