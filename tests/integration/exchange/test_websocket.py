"""TickerStream and PriceCache against the simulator: ticks, reconnects, fresh tokens, fallbacks."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import aiohttp
import pytest

from app.exchange.errors import Unavailable, UnknownSymbol
from app.exchange.gateway import KucoinGateway
from app.exchange.websocket import StreamTick, TickerStream
from app.services.prices import PriceCache
from tests.kucoin_sim.app import KucoinSimulator
from tests.sim_fixtures import make_client, make_gateway, running_simulator

BULLET = "/api/v1/bullet-public"
TICKER = "/api/v1/ticker"
MAJORS = {"BTCUSDT", "ETHUSDT"}
WAIT_S = 3.0


async def eventually(predicate: Callable[[], bool], what: str, timeout_s: float = WAIT_S) -> None:
    """Poll `predicate` until it holds; fail with `what` after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        if predicate():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout_s} s: {what}")
        await asyncio.sleep(0.01)


class Ticks:
    """An `on_tick` callback that keeps every tick."""

    def __init__(self, forward: Callable[[StreamTick], None] | None = None) -> None:
        self.items: list[StreamTick] = []
        self.forward = forward

    def __call__(self, tick: StreamTick) -> None:
        self.items.append(tick)
        if self.forward is not None:
            self.forward(tick)

    def __len__(self) -> int:
        return len(self.items)

    def symbols(self, since: int = 0) -> set[str]:
        return {t.symbol for t in self.items[since:]}

    def last(self, symbol: str) -> StreamTick:
        return next(t for t in reversed(self.items) if t.symbol == symbol)


def bullet_posts(sim: KucoinSimulator) -> int:
    return sum(1 for r in sim.requests if r.method == "POST" and r.path == BULLET)


def live_token(sim: KucoinSimulator) -> str:
    """The token the (single) open WebSocket connected with."""
    (conn,) = sim.ws.connections
    return conn.request.query["token"]


def live_kucoin_symbols(sim: KucoinSimulator) -> set[str]:
    (conn,) = sim.ws.connections
    return set(conn.symbols)


def fast_stream(
    gateway: KucoinGateway,
    on_tick: Callable[[StreamTick], None],
    *,
    max_consecutive_failures: int = 8,
) -> TickerStream:
    """A stream on the gateway's client and converter, with millisecond backoff."""
    return TickerStream(
        gateway.client,
        gateway.converter,
        on_tick,
        max_consecutive_failures=max_consecutive_failures,
        backoff_base_s=0.01,
        backoff_max_s=0.05,
    )


@asynccontextmanager
async def streaming(stream: TickerStream) -> AsyncIterator[TickerStream]:
    stream.start()
    try:
        yield stream
    finally:
        await stream.stop()


@pytest.fixture
async def sim() -> AsyncIterator[KucoinSimulator]:
    async with running_simulator(universe=6, ws_push_interval_ms=20) as simulator:
        yield simulator


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def gateway(sim: KucoinSimulator, http: aiohttp.ClientSession) -> KucoinGateway:
    gw = make_gateway(make_client(http, sim.base_url))
    await gw.list_contracts()  # loads the converter: BTCUSDT <-> XBTUSDTM
    return gw


async def flowing(stream: TickerStream, ticks: Ticks, symbols: set[str], connections: int) -> None:
    """Wait for connection number `connections`, then for new ticks of every symbol on it."""
    await eventually(
        lambda: stream.stats.connections == connections and stream.stats.state == "streaming",
        f"connection #{connections} streaming (stats: {stream.stats})",
    )
    mark = len(ticks)  # the previous connection is gone: later ticks come from this one
    await eventually(
        lambda: ticks.symbols(mark) >= symbols, f"ticks for {symbols} on #{connections}"
    )


class TestTicks:
    async def test_subscribed_symbols_tick_in_canonical_form(
        self, sim: KucoinSimulator, gateway: KucoinGateway
    ) -> None:
        ticks = Ticks()
        stream = fast_stream(gateway, ticks)
        await stream.set_symbols(MAJORS)
        async with streaming(stream):
            await eventually(lambda: ticks.symbols() >= MAJORS, "ticks for both majors")
            await eventually(lambda: len(ticks) >= 6, "a few rounds of ticks")
            stats = stream.stats
            assert (stats.state, stats.connections, stats.tokens_fetched) == ("streaming", 1, 1)
            assert stats.consecutive_failures == 0
            assert live_kucoin_symbols(sim) == {"XBTUSDTM", "ETHUSDTM"}
            sim_now = datetime.fromtimestamp(sim.clock.now(), tz=UTC)
            rest_btc = await gateway.get_quote("BTCUSDT")
        assert bullet_posts(sim) == 1
        assert stats.messages == len(ticks)
        assert stats.last_message_at == ticks.items[-1].received_at
        assert ticks.symbols() == MAJORS  # only what was subscribed, never the KuCoin code
        for tick in ticks.items:
            assert 0 < tick.bid <= tick.ask, tick
            assert abs((tick.exchange_at - sim_now).total_seconds()) < 10, tick
            assert abs((tick.received_at - datetime.now(UTC)).total_seconds()) < 10, tick
        btc = ticks.last("BTCUSDT")
        assert btc.mid == pytest.approx(rest_btc.mid, rel=0.05)
        assert ticks.last("ETHUSDT").mid < btc.mid

    async def test_pings_keep_the_connection_alive(self, http: aiohttp.ClientSession) -> None:
        # The server says Bye after 3 silent ping intervals (0.3 s); the stream must ping.
        async with running_simulator(
            universe=4, ws_push_interval_ms=20, ws_ping_interval_ms=100
        ) as sim:
            gw = make_gateway(make_client(http, sim.base_url))
            await gw.list_contracts()
            ticks = Ticks()
            stream = fast_stream(gw, ticks)
            await stream.set_symbols({"BTCUSDT"})
            async with streaming(stream):
                await flowing(stream, ticks, {"BTCUSDT"}, connections=1)
                await asyncio.sleep(1.0)  # over three idle timeouts
                assert sim.ws.idle_closed == 0
                assert stream.stats.connections == 1
                assert stream.stats.state == "streaming"

    async def test_a_raising_callback_is_logged_and_the_stream_carries_on(
        self, gateway: KucoinGateway, caplog: pytest.LogCaptureFixture
    ) -> None:
        calls: list[str] = []

        def on_tick(tick: StreamTick) -> None:
            calls.append(tick.symbol)
            if tick.symbol == "ETHUSDT":
                raise RuntimeError("consumer bug")

        stream = fast_stream(gateway, on_tick)
        await stream.set_symbols(MAJORS)
        with caplog.at_level(logging.ERROR, logger="app.exchange.websocket"):
            async with streaming(stream):
                await eventually(
                    lambda: calls.count("ETHUSDT") >= 3 and calls.count("BTCUSDT") >= 3,
                    "ticks keep coming after the callback raised",
                )
                stats = stream.stats
                assert (stats.state, stats.connections, stats.consecutive_failures) == (
                    "streaming", 1, 0
                )  # fmt: skip
        logged = [r for r in caplog.records if r.exc_info is not None]
        assert len(logged) >= 3
        assert all(r.exc_info and isinstance(r.exc_info[1], RuntimeError) for r in logged)
        assert all("ETHUSDT" in r.getMessage() for r in logged)


class TestReconnect:
    async def test_drop_reconnects_with_a_fresh_token_and_resubscribes(
        self, sim: KucoinSimulator, gateway: KucoinGateway
    ) -> None:
        ticks = Ticks()
        # Two allowed failures: a drop is one, and each welcome resets the count.
        stream = fast_stream(gateway, ticks, max_consecutive_failures=2)
        await stream.set_symbols(MAJORS)
        async with streaming(stream):
            await flowing(stream, ticks, MAJORS, connections=1)
            tokens = [live_token(sim)]
            for reconnect in (1, 2, 3):
                before = bullet_posts(sim)
                assert sim.ws_drop() == 1
                await flowing(stream, ticks, MAJORS, connections=1 + reconnect)
                assert bullet_posts(sim) == before + 1
                assert stream.stats.tokens_fetched == 1 + reconnect
                assert stream.stats.consecutive_failures == 0
                assert live_kucoin_symbols(sim) == {"XBTUSDTM", "ETHUSDTM"}
                tokens.append(live_token(sim))
        assert len(set(tokens)) == len(tokens) == 4  # never the same token twice
        assert sim.ws.accepted == 4
        assert sim.ws.refused == 0

    @pytest.mark.parametrize("expiry", ["revoked", "aged"])
    async def test_expired_token_is_not_reused(
        self, expiry: str, http: aiohttp.ClientSession
    ) -> None:
        async with running_simulator(universe=4, ws_push_interval_ms=20, token_ttl_s=60) as sim:
            gw = make_gateway(make_client(http, sim.base_url))
            await gw.list_contracts()
            ticks = Ticks()
            stream = fast_stream(gw, ticks)
            await stream.set_symbols(MAJORS)
            async with streaming(stream):
                await flowing(stream, ticks, MAJORS, connections=1)
                old_token = live_token(sim)
                if expiry == "revoked":
                    sim.expire_tokens()
                else:
                    sim.clock.advance(61)  # past token_ttl_s
                assert not sim.ws.token_valid(old_token)
                mark = len(ticks)
                await eventually(
                    lambda: ticks.symbols(mark) >= MAJORS, "open connection keeps streaming"
                )
                assert sim.ws_drop() == 1
                await flowing(stream, ticks, MAJORS, connections=2)
                new_token = live_token(sim)
            assert new_token != old_token
            assert sim.ws.token_valid(new_token)
            assert sim.ws.refused == 0  # the expired token was never presented
            assert stream.stats.tokens_fetched == bullet_posts(sim) == 2

    async def test_gives_up_after_the_bound_when_no_token_can_be_had(
        self, sim: KucoinSimulator, http: aiohttp.ClientSession, gateway: KucoinGateway
    ) -> None:
        client = make_client(http, sim.base_url, max_attempts=1)
        sim.faults.set("http_500", path=BULLET)
        stream = TickerStream(
            client,
            gateway.converter,
            Ticks(),
            max_consecutive_failures=3,
            backoff_base_s=0.01,
            backoff_max_s=0.05,
        )
        await stream.set_symbols(MAJORS)
        try:
            await asyncio.wait_for(stream.run(), timeout=WAIT_S)  # returns: it gave up
            stats = stream.stats
            assert stats.state == "failed"
            assert stats.consecutive_failures == 3
            assert (stats.connections, stats.tokens_fetched) == (0, 0)
            assert stats.last_error is not None and "Unavailable" in stats.last_error
            await asyncio.sleep(0.1)  # twice the largest backoff: nothing more is sent
            assert bullet_posts(sim) == 3
            assert [r.status for r in sim.requests if r.path == BULLET] == [500, 502, 503]
            assert sim.ws.accepted == sim.ws.refused == 0
        finally:
            await stream.stop()

    async def test_gives_up_after_the_bound_when_every_connect_is_refused(
        self, http: aiohttp.ClientSession
    ) -> None:
        # Tokens are issued but already expired: each session fetches one and is refused.
        async with running_simulator(universe=4, token_ttl_s=-1) as sim:
            gw = make_gateway(make_client(http, sim.base_url))
            await gw.list_contracts()
            stream = fast_stream(gw, Ticks(), max_consecutive_failures=3)
            await stream.set_symbols(MAJORS)
            stream.start()
            try:
                await eventually(lambda: stream.stats.state == "failed", "stream gives up")
                await asyncio.sleep(0.1)
                assert stream.stats.consecutive_failures == 3
                assert stream.stats.connections == 0
                assert stream.stats.tokens_fetched == bullet_posts(sim) == 3
                assert sim.ws.refused == 3
                assert sim.ws.accepted == 0
            finally:
                await stream.stop()

    async def test_silent_connection_is_replaced_with_a_fresh_token(
        self, http: aiohttp.ClientSession
    ) -> None:
        # Nothing for pingInterval + pingTimeout (0.4 s) and the stream must give the socket up.
        async with running_simulator(
            universe=4, ws_push_interval_ms=20, ws_ping_interval_ms=100, ws_ping_timeout_ms=300
        ) as sim:
            gw = make_gateway(make_client(http, sim.base_url))
            await gw.list_contracts()
            ticks = Ticks()
            stream = fast_stream(gw, ticks, max_consecutive_failures=2)
            await stream.set_symbols(MAJORS)
            async with streaming(stream):
                await flowing(stream, ticks, MAJORS, connections=1)
                old_token = live_token(sim)
                assert sim.ws_mute() == 1
                muted_at = time.monotonic()
                await flowing(stream, ticks, MAJORS, connections=2)
                recovered_s = time.monotonic() - muted_at
                await eventually(lambda: len(sim.ws.connections) == 1, "muted socket closed")
                new_token = live_token(sim)
                stats = stream.stats
                assert (stats.state, stats.consecutive_failures) == ("streaming", 0)
        assert new_token != old_token
        assert stats.tokens_fetched == bullet_posts(sim) == 2
        assert stats.last_error == "TimeoutError: no frame for 0.4 s (pingInterval + pingTimeout)"
        assert recovered_s < 2.0
        assert sim.ws.accepted == 2
        assert sim.ws.idle_closed == 0  # the client hung up, not the server

    async def test_pongs_alone_keep_a_quiet_connection_open(
        self, http: aiohttp.ClientSession
    ) -> None:
        # No symbols, so no ticks: only pongs arrive, and they count as frames.
        async with running_simulator(
            universe=4, ws_ping_interval_ms=100, ws_ping_timeout_ms=300
        ) as sim:
            gw = make_gateway(make_client(http, sim.base_url))
            await gw.list_contracts()
            stream = fast_stream(gw, Ticks())
            async with streaming(stream):
                await eventually(lambda: stream.stats.state == "streaming", "connected")
                await asyncio.sleep(1.2)  # three silence windows
                assert (stream.stats.connections, stream.stats.tokens_fetched) == (1, 1)
                assert stream.stats.last_error is None
                assert sim.ws.accepted == 1


class TestSetSymbols:
    async def test_new_symbol_is_subscribed_on_the_live_connection(
        self, sim: KucoinSimulator, gateway: KucoinGateway
    ) -> None:
        ticks = Ticks()
        stream = fast_stream(gateway, ticks)
        await stream.set_symbols({"BTCUSDT"})
        async with streaming(stream):
            await flowing(stream, ticks, {"BTCUSDT"}, connections=1)
            await eventually(lambda: len(ticks) >= 3, "a few BTC ticks")
            assert ticks.symbols() == {"BTCUSDT"}
            mark = len(ticks)
            await stream.set_symbols(MAJORS)
            await eventually(lambda: "ETHUSDT" in ticks.symbols(mark), "ETH ticks after set")
            assert "BTCUSDT" in ticks.symbols(mark)
            assert (stream.stats.connections, stream.stats.tokens_fetched) == (1, 1)
            assert live_kucoin_symbols(sim) == {"XBTUSDTM", "ETHUSDTM"}
            # A later reconnect subscribes the whole current set.
            assert sim.ws_drop() == 1
            await flowing(stream, ticks, MAJORS, connections=2)
            assert live_kucoin_symbols(sim) == {"XBTUSDTM", "ETHUSDTM"}

    async def test_reconnect_subscribes_the_current_set_and_a_symbol_can_come_back(
        self, sim: KucoinSimulator, gateway: KucoinGateway
    ) -> None:
        ticks = Ticks()
        stream = fast_stream(gateway, ticks)
        await stream.set_symbols(MAJORS)
        async with streaming(stream):
            await flowing(stream, ticks, MAJORS, connections=1)
            await stream.set_symbols({"BTCUSDT"})
            assert sim.ws_drop() == 1
            await flowing(stream, ticks, {"BTCUSDT"}, connections=2)
            assert live_kucoin_symbols(sim) == {"XBTUSDTM"}
            mark = len(ticks)
            await stream.set_symbols(MAJORS)  # ETH is new again on this connection
            await eventually(lambda: "ETHUSDT" in ticks.symbols(mark), "ETH ticks come back")
            assert live_kucoin_symbols(sim) == {"XBTUSDTM", "ETHUSDTM"}
            assert stream.stats.connections == 2

    async def test_removed_symbol_is_unsubscribed_on_the_live_connection(
        self, sim: KucoinSimulator, gateway: KucoinGateway
    ) -> None:
        ticks = Ticks()
        stream = fast_stream(gateway, ticks)
        await stream.set_symbols(MAJORS)
        async with streaming(stream):
            await flowing(stream, ticks, MAJORS, connections=1)
            await stream.set_symbols({"BTCUSDT"})
            mark = len(ticks)
            await eventually(
                lambda: live_kucoin_symbols(sim) == {"XBTUSDTM"}, "ETH unsubscribed at the sim"
            )
            await asyncio.sleep(0.2)  # ten push intervals
            assert ticks.symbols(mark) == {"BTCUSDT"}
            assert (stream.stats.connections, stream.stats.tokens_fetched) == (1, 1)

    async def test_ticks_still_pushed_for_a_removed_symbol_are_dropped(
        self, sim: KucoinSimulator, gateway: KucoinGateway
    ) -> None:
        ticks = Ticks()
        stream = fast_stream(gateway, ticks)
        await stream.set_symbols(MAJORS)
        async with streaming(stream):
            await flowing(stream, ticks, MAJORS, connections=1)
            await stream.set_symbols({"BTCUSDT"})
            await eventually(lambda: live_kucoin_symbols(sim) == {"XBTUSDTM"}, "unsubscribed")
            # The server pushes ETH again, like frames in flight when the unsubscribe was sent.
            (conn,) = sim.ws.connections
            conn.symbols.add("ETHUSDTM")
            mark, sent = len(ticks), conn.sent
            # ETH sorts first in every round: a BTC tick after it means its ETH was read.
            await eventually(lambda: conn.sent >= sent + 6 and len(ticks) >= mark + 3, "rounds")
            assert ticks.symbols(mark) == {"BTCUSDT"}
            assert stream.stats.messages == len(ticks)

    async def test_symbols_set_before_the_welcome_are_subscribed_after_it(
        self, sim: KucoinSimulator, gateway: KucoinGateway
    ) -> None:
        sim.ws_delay_welcome(0.5)
        ticks = Ticks()
        stream = fast_stream(gateway, ticks)
        await stream.set_symbols({"BTCUSDT"})
        async with streaming(stream):
            await eventually(lambda: len(sim.ws.connections) == 1, "socket accepted")
            await asyncio.sleep(0.1)  # the client holds its socket; the welcome is held back
            assert stream.stats.state == "connecting"
            await stream.set_symbols(MAJORS)
            await flowing(stream, ticks, MAJORS, connections=1)
            assert live_kucoin_symbols(sim) == {"XBTUSDTM", "ETHUSDTM"}
        assert sim.ws.early_frames == 0  # nothing was sent before the welcome


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
                good.symbol, good.bid, good.ask, good.at, good.source
            )  # fmt: skip
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
