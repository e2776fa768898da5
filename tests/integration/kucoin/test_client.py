"""KucoinFuturesClient against the simulator: limits, retries, breaker, typed failures."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import pytest

from app.kucoin.breaker import BreakerState
from app.kucoin.exchange_errors import (
    BadResponse,
    CircuitOpen,
    RateLimited,
    RequestRejected,
    Unavailable,
    UnknownSymbol,
)
from app.platform.core.clock import utcnow
from tests.exchange_calls import service_status
from tests.kucoin_sim.app import KucoinSimulator
from tests.sim_fixtures import make_client, wait_until, with_sim

TICKER = "/api/v1/ticker"


@pytest.fixture
def sim_config() -> dict[str, Any]:
    return {"universe": 12}


class TestRateLimit:
    @with_sim(universe=4, quota=20, quota_window_s=1.5)
    async def test_after_429_nothing_is_sent_before_the_reset(
        self, sim: KucoinSimulator, http: aiohttp.ClientSession
    ) -> None:
        # Another client on the same IP has just spent the pool (20 weight per 1.5 s), charged
        # at once here: sent as requests, on a busy machine they could outlast the window. Ours
        # has not seen a limit header yet, so its first call meets KuCoin's 429 and it must
        # then hold every request until the reset the 429 announced.
        opened_at = time.monotonic()  # the window opens with the other client's charge
        assert sim.limiter.charge(20).allowed
        client = make_client(http, sim.base_url, quota=1000, window_s=1.5)
        for _ in range(4):
            await client.get_ticker("XBTUSDTM")
        ours = [r for r in sim.requests if r.path == TICKER]
        assert [r.status for r in ours] == [429, 200, 200, 200, 200]
        assert all(r.at >= opened_at + 1.5 - 0.02 for r in ours[1:])

    @with_sim(universe=4, quota=20, quota_window_s=1.0)
    async def test_a_limiter_sized_to_the_quota_never_gets_429(
        self, sim: KucoinSimulator, http: aiohttp.ClientSession
    ) -> None:
        client = make_client(http, sim.base_url, quota=20, window_s=1.0)
        for _ in range(15):
            await client.get_ticker("ETHUSDTM")
        statuses = [r.status for r in sim.requests if r.path == TICKER]
        elapsed = sim.requests[-1].at - sim.requests[0].at
        assert statuses == [200] * 15
        assert elapsed >= 1.0  # 30 weight at 20 per window needs a second window

    @with_sim(universe=4, quota=10, quota_window_s=60)
    async def test_a_reset_further_away_than_allowed_is_raised_not_awaited(
        self, sim: KucoinSimulator, http: aiohttp.ClientSession
    ) -> None:
        # The headers say the pool is empty for a minute; the client refuses to sleep that long.
        client = make_client(http, sim.base_url, quota=1000, window_s=60)
        for _ in range(5):
            await client.get_ticker("XBTUSDTM")
        before = utcnow()
        with pytest.raises(RateLimited) as caught:
            await client.get_ticker("XBTUSDTM")
        assert (utcnow() - before).total_seconds() < 1
        assert caught.value.status == 503
        assert (caught.value.reset_at - before).total_seconds() > 30
        assert [r.status for r in sim.requests] == [200] * 5  # no 429 was provoked


class TestRetries:
    async def test_5xx_is_tried_at_most_five_times(
        self, sim: KucoinSimulator, http: aiohttp.ClientSession
    ) -> None:
        sim.faults.set("http_500", path=TICKER)
        with pytest.raises(Unavailable):
            await make_client(http, sim.base_url).get_ticker("XBTUSDTM")
        assert sim.count(TICKER) == 5

    async def test_transient_5xx_recovers(
        self, sim: KucoinSimulator, http: aiohttp.ClientSession
    ) -> None:
        sim.faults.set("http_500", count=3, path=TICKER)
        ticker = await make_client(http, sim.base_url).get_ticker("XBTUSDTM")
        assert ticker.symbol == "XBTUSDTM"
        assert [r.status for r in sim.requests if r.path == TICKER] == [500, 502, 503, 200]

    async def test_timeouts_are_retried_then_raised(
        self, sim: KucoinSimulator, http: aiohttp.ClientSession
    ) -> None:
        sim.faults.set("timeout", seconds=5, path=TICKER)
        client = make_client(http, sim.base_url, request_timeout_s=0.2)
        with pytest.raises(Unavailable, match="timeout"):
            await client.get_ticker("XBTUSDTM")
        # The simulator records an abandoned request once its handler is cancelled.
        await wait_until(lambda: sim.count(TICKER) >= 5)
        assert sim.count(TICKER) == 5

    async def test_unknown_symbol_is_never_retried(
        self, sim: KucoinSimulator, http: aiohttp.ClientSession
    ) -> None:
        with pytest.raises(UnknownSymbol) as caught:
            await make_client(http, sim.base_url).get_ticker("NOPEUSDTM")
        assert caught.value.code == "200003"
        assert sim.count(TICKER) == 1

    async def test_unknown_path_is_rejected_once(
        self, sim: KucoinSimulator, http: aiohttp.ClientSession
    ) -> None:
        client = make_client(http, sim.base_url)
        with pytest.raises(RequestRejected):
            await client.get("/api/v1/nope", weight=1)
        assert sim.count("/api/v1/nope") == 1

    async def test_maintenance_is_unavailable(
        self, sim: KucoinSimulator, http: aiohttp.ClientSession
    ) -> None:
        sim.faults.set("maintenance")
        client = make_client(http, sim.base_url, max_attempts=2)
        assert (await service_status(client)).status == "close"
        with pytest.raises(Unavailable):
            await client.get_ticker("XBTUSDTM")


class TestCircuitBreaker:
    async def test_opens_after_failures_and_recovers_through_a_probe(
        self, sim: KucoinSimulator, http: aiohttp.ClientSession
    ) -> None:
        client = make_client(http, sim.base_url, failure_threshold=3, reset_timeout_s=0.3)
        sim.faults.set("http_500", path=TICKER)
        with pytest.raises(CircuitOpen):
            await client.get_ticker("XBTUSDTM")  # 3 failures open it; the 4th try is refused
        assert client.breaker.state is BreakerState.OPEN
        assert sim.count(TICKER) == 3
        with pytest.raises(CircuitOpen):
            await client.get_ticker("XBTUSDTM")
        assert sim.count(TICKER) == 3  # open: nothing was sent
        sim.faults.clear()
        await sim_sleep(0.35)
        assert (await client.get_ticker("XBTUSDTM")).symbol == "XBTUSDTM"
        assert client.breaker.state is BreakerState.CLOSED
        assert client.breaker.snapshot().times_opened == 1

    async def test_a_failed_probe_reopens(
        self, sim: KucoinSimulator, http: aiohttp.ClientSession
    ) -> None:
        client = make_client(
            http, sim.base_url, failure_threshold=2, reset_timeout_s=0.2, max_attempts=1
        )
        sim.faults.set("http_500", path=TICKER)
        for _ in range(2):
            with pytest.raises(Unavailable):
                await client.get_ticker("XBTUSDTM")
        await sim_sleep(0.25)
        with pytest.raises(Unavailable):
            await client.get_ticker("XBTUSDTM")  # the half-open probe fails
        assert client.breaker.state is BreakerState.OPEN
        assert sim.count(TICKER) == 3


class TestPayloads:
    async def test_malformed_json_is_bad_response_not_retried(
        self, sim: KucoinSimulator, http: aiohttp.ClientSession
    ) -> None:
        sim.faults.set("malformed_json", path=TICKER)
        with pytest.raises(BadResponse):
            await make_client(http, sim.base_url).get_ticker("XBTUSDTM")
        assert sim.count(TICKER) == 1

    async def test_missing_field_is_bad_response(
        self, sim: KucoinSimulator, http: aiohttp.ClientSession
    ) -> None:
        sim.faults.set("missing_field", field="lotSize", path="/api/v1/contracts/active")
        with pytest.raises(BadResponse, match="lotSize"):
            await make_client(http, sim.base_url).get_active_contracts()

    async def test_long_kline_range_is_paged_within_the_row_limit(
        self, sim: KucoinSimulator, http: aiohttp.ClientSession
    ) -> None:
        hour = 3_600_000
        end = (sim.clock.now_ms() // hour - 1) * hour
        start = end - 899 * hour
        klines = await make_client(http, sim.base_url).get_klines("XBTUSDTM", 60, start, end)
        assert [k.open_time_ms for k in klines] == list(range(start, end + 1, hour))
        calls = [r for r in sim.requests if r.path == "/api/v1/kline/query"]
        assert len(calls) == 2
        spans = [(int(c.query["to"]) - int(c.query["from"])) // hour + 1 for c in calls]
        assert max(spans) <= 500


async def sim_sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)
