"""Values each within bounds that mean nothing together, refused with a 422 naming the field and
what it must be: a replay's weights follow the algorithm's rule (they sum to 1, as `PUT
/scoring/algorithms` holds them); a benchmark is a listed contract of the synced universe; a
window reads no more hourly candles than a scoring run fetches (`scoring_candles`), checked from
both sides. A stored configuration that a rule would refuse keeps running, and the alert check
names it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.api.lab.test_algorithm_parameters import (
    ADMIN,
    API,
    BASE,
    READ,
    TRADE,
    calculate,
    refused_field,
    set_parameters,
    sim_config,
    stored,
)
from tests.factories import make_candles, make_symbol

__all__ = ["sim_config"]

ZERO = {"technical": 0.0, "fundamental": 0.0, "market_structure": 0.0, "risk": 0.0}
WINDOW_WORDS = "must be at most 720 while scoring_candles is 721"


async def synced(api: httpx.AsyncClient) -> None:
    """The simulator's universe, synced: the contracts a benchmark may name."""
    response = await api.post(f"{API}/symbols/sync", params={"wait": 60}, headers=TRADE)
    assert response.status_code == 200, response.text


async def a_range(session: AsyncSession) -> dict[str, str]:
    """Stored candles, and a replay's range within them."""
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=72)
    await make_candles(session, await make_symbol(session), [100.0] * 72, start=start)
    await session.commit()  # a savepoint: a refused request's rollback leaves it
    return {
        "from": (start + timedelta(hours=2)).isoformat(),
        "to": (start + timedelta(hours=48)).isoformat(),
    }


def error_of(response: httpx.Response, field: str) -> str:
    """The message of the refusal's one error, which names `field`."""
    assert refused_field(response) == field, response.text
    [error] = response.json()["errors"]
    return str(error["message"])


async def replay(
    api: httpx.AsyncClient, span: dict[str, str], overrides: dict[str, Any]
) -> httpx.Response:
    return await api.post(f"{API}/replays", json={**span, "overrides": overrides}, headers=TRADE)


async def put_risk(api: httpx.AsyncClient, parameters: dict[str, Any], dry: str) -> httpx.Response:
    sent = {"algorithms": [{"name": "risk", "parameters": parameters}]}
    return await api.put(f"{BASE}/algorithms", params={"dry_run": dry}, json=sent, headers=ADMIN)


class TestReplayOverrides:
    async def test_weights_all_zero_are_refused_as_the_algorithm_refuses_them(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        """Accepted before, and "succeeded" with empty decisions."""
        span = await a_range(session)
        before = await stored(session)
        response = await replay(api, span, {"scoring": {"weights": ZERO}})
        message = error_of(response, "overrides.scoring.weights")
        assert message == "active component weights must sum to 1; they would sum to 0.0000"
        same = await api.put(
            f"{BASE}/algorithms",
            json={"algorithms": [{"name": n, "weight": w} for n, w in ZERO.items()]},
            headers=ADMIN,
        )
        assert response.json()["detail"].endswith(same.json()["detail"])  # the one rule's words
        assert await stored(session) == before
        thirds = {"fundamental": 1 / 3, "market_structure": 1 / 3, "risk": 1 / 3}
        queued = await replay(api, span, {"scoring": {"weights": thirds}})
        assert queued.status_code == 202, queued.text

    async def test_a_benchmark_that_is_no_synced_contract_is_refused(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await synced(api)
        span = await a_range(session)
        nope = {"scoring": {"parameters": {"risk": {"benchmark": "NOPEUSDT"}}}}
        message = error_of(
            await replay(api, span, nope), "overrides.scoring.parameters.risk.benchmark"
        )
        assert message.startswith("must be a contract of the synced universe")
        assert message.endswith(', not "NOPEUSDT"')
        listed = {"scoring": {"parameters": {"risk": {"benchmark": "ETHUSDT"}}}}
        assert (await replay(api, span, listed)).status_code == 202

    async def test_a_window_longer_than_the_candles_fetched_is_refused_both_ways(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        span = await a_range(session)
        long = {"scoring": {"parameters": {"risk": {"volatility_window": 2160}}}}
        message = error_of(
            await replay(api, span, long), "overrides.scoring.parameters.risk.volatility_window"
        )
        assert message.startswith(WINDOW_WORDS) and message.endswith(", not 2160")
        few = {"policy": {"scoring_candles": 200}}
        message = error_of(await replay(api, span, few), "overrides.policy.scoring_candles")
        assert message == (
            "must be at least 721: the longest window, technical.momentum_hours.2, reads 721 "
            "hourly candles, not 200"
        )
        both = {"scoring": long["scoring"], "policy": {"scoring_candles": 2161}}
        assert (await replay(api, span, both)).status_code == 202

    async def test_a_refusal_shows_the_value_as_json_not_as_python(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        span = await a_range(session)
        for sent, shown in ((None, "null"), ("8", '"8"'), (True, "true")):
            response = await replay(api, span, {"policy": {"replacement_margin": sent}})
            message = error_of(response, "overrides.policy.replacement_margin")
            assert message.endswith(f", not {shown}"), message
        categories = {"scoring": {"gate": {"excluded_categories": ["bonds"]}}}
        message = error_of(
            await replay(api, span, categories), "overrides.scoring.gate.excluded_categories"
        )
        assert message.startswith('"bonds" is not one of'), message


class TestAlgorithms:
    async def test_a_benchmark_that_is_no_synced_contract_is_refused(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        """It was applied, and the next run gave every symbol confidence 0.6."""
        await synced(api)
        before = await stored(session)
        for dry in ("true", "false"):
            response = await put_risk(api, {"benchmark": "NOPEUSDT"}, dry)
            message = error_of(response, "algorithms.0.parameters.benchmark")
            assert message.startswith("must be a contract of the synced universe"), message
        assert await stored(session) == before
        applied = await put_risk(api, {"benchmark": "ETHUSDT"}, "false")
        assert applied.status_code == 200, applied.text

    async def test_a_window_longer_than_the_candles_fetched_is_refused(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        """It was applied, and the run reported confidence 1.0 on the hours it had."""
        before = await stored(session)
        for dry in ("true", "false"):
            response = await put_risk(api, {"volatility_window": 2160}, dry)
            message = error_of(response, "algorithms.0.parameters.volatility_window")
            assert message.startswith(WINDOW_WORDS) and message.endswith(", not 2160")
        assert await stored(session) == before
        fits = await put_risk(api, {"volatility_window": 720}, "false")
        assert fits.status_code == 200, fits.text


class TestStoredConfiguration:
    async def test_a_stored_window_longer_than_the_candles_keeps_running_and_is_alerted(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await set_parameters(session, "risk", {"volatility_window": 2160, "benchmark": "BTCUSDT"})
        run = await calculate(api)
        assert run["scored_count"] > 0
        assert run["config"]["parameters"]["risk"]["volatility_window"] == 2160
        checked = await api.post(f"{API}/alerts/check", headers=TRADE)
        assert checked.status_code == 200, checked.text
        fingerprint = "scoring_parameters:candles:risk.volatility_window"
        assert fingerprint in checked.json()["raised"]
        alerts = await api.get(f"{API}/alerts", params={"kind": "scoring_parameters"}, headers=READ)
        [alert] = alerts.json()
        assert alert["message"].startswith(f"risk.volatility_window {WINDOW_WORDS}")
        assert alert["details"]["value"] == 2160

    async def test_a_stored_benchmark_that_is_no_synced_contract_is_alerted(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        await set_parameters(session, "risk", {"volatility_window": 168, "benchmark": "NOPEUSDT"})
        run = await calculate(api)
        assert run["scored_count"] > 0  # it still runs
        checked = (await api.post(f"{API}/alerts/check", headers=TRADE)).json()
        assert "scoring_parameters:benchmark:risk.benchmark" in checked["raised"]
        fixed = await put_risk(api, {"volatility_window": 168, "benchmark": "BTCUSDT"}, "false")
        assert fixed.status_code == 200, fixed.text
        again = (await api.post(f"{API}/alerts/check", headers=TRADE)).json()
        assert "scoring_parameters:benchmark:risk.benchmark" in again["resolved"]
