"""Shared helpers for the ticker-stream and price-cache tests against the simulator."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from app.kucoin.gateway import KucoinGateway
from app.kucoin.websocket import StreamTick, TickerStream
from tests.kucoin_sim.app import KucoinSimulator

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
