"""TickerStream against the simulator: ticks, reconnects, fresh tokens, subscriptions."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime

import aiohttp
import pytest

from app.kucoin.gateway import KucoinGateway
from app.kucoin.websocket import StreamTick, TickerStream
from tests.integration.kucoin.streams import (
    BULLET,
    MAJORS,
    WAIT_S,
    Ticks,
    bullet_posts,
    eventually,
    fast_stream,
    flowing,
    live_kucoin_symbols,
    live_token,
    streaming,
)
from tests.kucoin_sim.app import KucoinSimulator
from tests.sim_fixtures import make_client, with_sim


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

    @with_sim(universe=4, ws_push_interval_ms=20, ws_ping_interval_ms=100)
    async def test_pings_keep_the_connection_alive(
        self, sim: KucoinSimulator, gateway: KucoinGateway
    ) -> None:
        # The server says Bye after 3 silent ping intervals (0.3 s); the stream must ping.
        ticks = Ticks()
        stream = fast_stream(gateway, ticks)
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
        with caplog.at_level(logging.ERROR, logger="app.kucoin.websocket"):
            async with streaming(stream):
                await eventually(
                    lambda: calls.count("ETHUSDT") >= 3 and calls.count("BTCUSDT") >= 3,
                    "ticks keep coming after the callback raised",
                )
                stats = stream.stats
                assert (stats.state, stats.connections, stats.consecutive_failures) == (
                    "streaming",
                    1,
                    0,
                )
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
    @with_sim(universe=4, ws_push_interval_ms=20, token_ttl_s=60)
    async def test_expired_token_is_not_reused(
        self, sim: KucoinSimulator, expiry: str, gateway: KucoinGateway
    ) -> None:
        ticks = Ticks()
        stream = fast_stream(gateway, ticks)
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

    @with_sim(universe=4, token_ttl_s=-1)
    async def test_gives_up_after_the_bound_when_every_connect_is_refused(
        self, sim: KucoinSimulator, gateway: KucoinGateway
    ) -> None:
        # Tokens are issued but already expired: each session fetches one and is refused.
        stream = fast_stream(gateway, Ticks(), max_consecutive_failures=3)
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

    @with_sim(universe=4, ws_push_interval_ms=20, ws_ping_interval_ms=100, ws_ping_timeout_ms=300)
    async def test_silent_connection_is_replaced_with_a_fresh_token(
        self, sim: KucoinSimulator, gateway: KucoinGateway
    ) -> None:
        # Nothing for pingInterval + pingTimeout (0.4 s) and the stream must give the socket up.
        ticks = Ticks()
        stream = fast_stream(gateway, ticks, max_consecutive_failures=2)
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

    @with_sim(universe=4, ws_ping_interval_ms=100, ws_ping_timeout_ms=300)
    async def test_pongs_alone_keep_a_quiet_connection_open(
        self, sim: KucoinSimulator, gateway: KucoinGateway
    ) -> None:
        # No symbols, so no ticks: only pongs arrive, and they count as frames.
        stream = fast_stream(gateway, Ticks())
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
