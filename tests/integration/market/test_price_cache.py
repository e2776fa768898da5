"""PriceCache against the simulator: websocket when fresh, REST otherwise, last good when down."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from app.kucoin.errors import Unavailable, UnknownSymbol
from app.kucoin.gateway import KucoinGateway
from app.market.prices import PriceCache
from tests.integration.kucoin.streams import TICKER, Ticks, fast_stream, flowing, streaming
from tests.kucoin_sim.app import KucoinSimulator
from tests.sim_fixtures import make_client, make_gateway


# The exchange stack's market (tests/integration/kucoin/conftest.py), not the market folder's: a
# small simulator that pushes ticks every 20 ms, behind a gateway that knows its contracts.
@pytest.fixture
def sim_config() -> dict[str, Any]:
    return {"universe": 6, "ws_push_interval_ms": 20}


@pytest.fixture
async def gateway(sim: KucoinSimulator, http: aiohttp.ClientSession) -> KucoinGateway:
    gw = make_gateway(make_client(http, sim.base_url))
    await gw.list_contracts()  # loads the converter: BTCUSDT <-> XBTUSDTM
    return gw


class TestPriceCache:
    async def test_fresh_tick_is_served_without_rest(
        self, sim: KucoinSimulator, gateway: KucoinGateway
    ) -> None:
        cache = PriceCache(gateway, fresh_for_s=10.0)
        ticks = Ticks(forward=cache.on_tick)
        stream = fast_stream(gateway, ticks)
        await stream.set_symbols({"BTCUSDT"})
        async with streaming(stream):
            await flowing(stream, ticks, {"BTCUSDT"}, connections=1)
        last = ticks.last("BTCUSDT")  # stopped: no tick can slip in between
        before = sim.count(TICKER)
        for asked in ("BTCUSDT", "XBTUSDTM"):
            point = await cache.get(asked)
            assert (point.symbol, point.source, point.stale) == ("BTCUSDT", "websocket", False)
            assert (point.bid, point.ask, point.at) == (last.bid, last.ask, last.received_at)
        assert sim.count(TICKER) == before

    async def test_without_a_tick_rest_is_asked_then_cached(
        self, sim: KucoinSimulator, gateway: KucoinGateway
    ) -> None:
        cache = PriceCache(gateway, fresh_for_s=10.0)
        before = sim.count(TICKER)
        point = await cache.get("ETHUSDT")
        assert sim.count(TICKER) == before + 1
        assert [r.query["symbol"] for r in sim.requests if r.path == TICKER][-1] == "ETHUSDTM"
        assert (point.symbol, point.source, point.stale) == ("ETHUSDT", "rest", False)
        assert 0 < point.bid <= point.ask
        again = await cache.get("ETHUSDT")
        assert again == point
        assert sim.count(TICKER) == before + 1  # fresh: not asked again

    async def test_kucoin_failure_serves_last_good_marked_stale(
        self, sim: KucoinSimulator, http: aiohttp.ClientSession
    ) -> None:
        gw = make_gateway(make_client(http, sim.base_url, max_attempts=1))
        await gw.list_contracts()
        cache = PriceCache(gw, fresh_for_s=0.0)  # anything cached is already too old
        good = await cache.get("BTCUSDT")
        assert (good.source, good.stale) == ("rest", False)
        sim.faults.set("http_500", path=TICKER)
        before = sim.count(TICKER)
        for _ in range(3):
            stale = await cache.get("BTCUSDT")
            assert stale.stale is True
            assert (stale.symbol, stale.bid, stale.ask, stale.at, stale.source) == (
                good.symbol,
                good.bid,
                good.ask,
                good.at,
                good.source,
            )
        assert sim.count(TICKER) == before + 3  # KuCoin was asked each time, and failed
        assert {r.status for r in sim.requests[-3:]} <= {500, 502, 503}
        sim.faults.clear()
        recovered = await cache.get("BTCUSDT")
        assert (recovered.source, recovered.stale) == ("rest", False)
        assert recovered.at > good.at

    async def test_kucoin_failure_with_nothing_cached_raises(
        self, sim: KucoinSimulator, http: aiohttp.ClientSession
    ) -> None:
        gw = make_gateway(make_client(http, sim.base_url, max_attempts=1))
        await gw.list_contracts()
        cache = PriceCache(gw, fresh_for_s=0.0)
        sim.faults.set("http_500", path=TICKER)
        for _ in range(2):  # a failure leaves nothing behind to be served later
            with pytest.raises(Unavailable) as caught:
                await cache.get("ETHUSDT")
            assert caught.value.status == 503
        assert sim.count(TICKER) == 2

    async def test_unknown_symbol_raises_404(
        self, sim: KucoinSimulator, gateway: KucoinGateway
    ) -> None:
        cache = PriceCache(gateway)
        with pytest.raises(UnknownSymbol) as caught:
            await cache.get("NOPEUSDT")
        assert caught.value.status == 404
        assert sim.count(TICKER) == 0

    async def test_delisted_symbol_is_not_served_from_cache(
        self, sim: KucoinSimulator, gateway: KucoinGateway
    ) -> None:
        cache = PriceCache(gateway, fresh_for_s=0.0)
        await cache.get("ETHUSDT")
        sim.delist("ETHUSDTM")
        with pytest.raises(UnknownSymbol) as caught:
            await cache.get("ETHUSDT")
        assert caught.value.status == 404
