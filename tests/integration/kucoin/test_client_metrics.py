"""The KuCoin client's metrics against the simulator enforcing KuCoin's quota."""

from __future__ import annotations

import aiohttp
import pytest

from app.kucoin.exchange_errors import RateLimited, UnknownSymbol
from tests.exchange_calls import contract
from tests.kucoin_sim.app import KucoinSimulator
from tests.prometheus import counted
from tests.sim_fixtures import make_client, with_sim

TICKER = "/api/v1/ticker"
CONTRACT = "/api/v1/contracts/{symbol}"


class TestKucoinFamilies:
    # A window the calls below cannot outlast: with 1 s, on a machine kept busy, the pool
    # refilled before our client's call once, and it was answered.
    @with_sim(universe=4, quota=20, quota_window_s=60.0)
    async def test_a_429_from_kucoin_is_counted_by_endpoint(
        self, sim: KucoinSimulator, http: aiohttp.ClientSession
    ) -> None:
        # Another client on the same IP spends the pool; ours meets KuCoin's 429 on its first
        # call (it has seen no limit header yet) and, allowed one attempt, raises it.
        for _ in range(10):  # ticker weighs 2
            async with http.get(sim.base_url + TICKER, params={"symbol": "XBTUSDTM"}) as r:
                assert r.status == 200
        client = make_client(http, sim.base_url, quota=1000, window_s=1.0, max_attempts=1)
        before_429 = counted("mysymbols_kucoin_rate_limited_total", endpoint=TICKER)
        before = counted("mysymbols_kucoin_requests_total", endpoint=TICKER, outcome="rate_limited")
        with pytest.raises(RateLimited):
            await client.get_ticker("XBTUSDTM")
        assert [r.status for r in sim.requests if r.path == TICKER][10:] == [429]
        assert counted("mysymbols_kucoin_rate_limited_total", endpoint=TICKER) == before_429 + 1
        assert (
            counted("mysymbols_kucoin_requests_total", endpoint=TICKER, outcome="rate_limited")
            == before + 1
        )

    @with_sim(universe=4, quota=20, quota_window_s=0.5)
    async def test_time_held_back_by_the_limiter_is_observed(
        self, sim: KucoinSimulator, http: aiohttp.ClientSession
    ) -> None:
        client = make_client(http, sim.base_url, quota=20, window_s=0.5)
        waits = counted("mysymbols_kucoin_rate_limit_wait_seconds_count")
        waited = counted("mysymbols_kucoin_rate_limit_wait_seconds_sum")
        for _ in range(15):  # 30 weight against 20 per window: some requests must wait
            await client.get_ticker("ETHUSDTM")
        assert counted("mysymbols_kucoin_rate_limit_wait_seconds_count") == waits + 15
        assert counted("mysymbols_kucoin_rate_limit_wait_seconds_sum") > waited
        assert [r.status for r in sim.requests] == [200] * 15

    @with_sim(universe=4, quota=10, quota_window_s=60)
    async def test_a_request_the_limiter_refuses_is_counted_and_not_sent(
        self, sim: KucoinSimulator, http: aiohttp.ClientSession
    ) -> None:
        client = make_client(http, sim.base_url, quota=1000, window_s=60)
        for _ in range(5):
            await client.get_ticker("XBTUSDTM")
        refused = counted("mysymbols_kucoin_rate_limit_refusals_total")
        with pytest.raises(RateLimited):
            await client.get_ticker("XBTUSDTM")
        assert counted("mysymbols_kucoin_rate_limit_refusals_total") == refused + 1
        assert len(sim.requests) == 5

    @with_sim(universe=4)
    async def test_symbols_in_paths_are_one_endpoint_label(
        self, sim: KucoinSimulator, http: aiohttp.ClientSession
    ) -> None:
        client = make_client(http, sim.base_url)
        ok = counted("mysymbols_kucoin_requests_total", endpoint=CONTRACT, outcome="ok")
        unknown = counted(
            "mysymbols_kucoin_requests_total", endpoint=CONTRACT, outcome="unknown_symbol"
        )
        await contract(client, "XBTUSDTM")
        await contract(client, "ETHUSDTM")
        with pytest.raises(UnknownSymbol):
            await contract(client, "NOPEUSDTM")
        assert counted("mysymbols_kucoin_requests_total", endpoint=CONTRACT, outcome="ok") == ok + 2
        assert (
            counted("mysymbols_kucoin_requests_total", endpoint=CONTRACT, outcome="unknown_symbol")
            == unknown + 1
        )
