"""Price cache: WebSocket ticks when fresh, REST tickers otherwise, last-good when KuCoin fails."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.kucoin.errors import ExchangeError
from app.kucoin.gateway import KucoinGateway
from app.kucoin.websocket import StreamTick, TickerStream
from app.market.repository import SymbolRepository
from app.platform.core.clock import utcnow
from app.platform.runtime.background import BackgroundTask

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PricePoint:
    symbol: str
    bid: float
    ask: float
    at: datetime
    source: str  # "websocket" | "rest"
    stale: bool = False

    @property
    def mid(self) -> float:
        return (self.bid + self.ask) / 2

    def age_s(self, now: datetime | None = None) -> float:
        return ((now or utcnow()) - self.at).total_seconds()


class PriceCache:
    """Live prices by canonical symbol: streamed ticks, else a REST ticker, else the last good."""

    def __init__(self, gateway: KucoinGateway, *, fresh_for_s: float = 10.0) -> None:
        self.gateway = gateway
        self.fresh_for_s = fresh_for_s
        self._prices: dict[str, PricePoint] = {}

    def on_tick(self, tick: StreamTick) -> None:
        self._prices[tick.symbol] = PricePoint(
            tick.symbol, tick.bid, tick.ask, tick.received_at, "websocket"
        )

    def peek_fresh(self, symbol: str, now: datetime) -> PricePoint | None:
        """The cached price of a canonical symbol if it is fresh, without asking KuCoin."""
        cached = self._prices.get(symbol)
        if cached is None or cached.age_s(now) > self.fresh_for_s:
            return None
        return cached

    async def get(self, symbol: str) -> PricePoint:
        """A fresh price, or the last good one marked stale; never an invented one."""
        canonical = self.gateway.converter.to_standard(symbol)
        cached = self._prices.get(canonical)
        if cached is not None and cached.age_s() <= self.fresh_for_s:
            return cached
        try:
            quote = await self.gateway.get_quote(canonical)
        except ExchangeError as exc:
            if cached is None or exc.status == 404:
                raise
            logger.warning("price for %s from cache (%s)", canonical, exc.slug)
            return replace(cached, stale=True)
        point = PricePoint(canonical, quote.bid, quote.ask, utcnow(), "rest")
        self._prices[canonical] = point
        return point


async def follow_portfolio_prices(
    sessionmaker: async_sessionmaker[AsyncSession], stream: TickerStream
) -> set[str]:
    """Point the ticker stream at the active portfolio members; start it when there are any.

    Called at start-up, then by `TickerFollower` after every membership change. A database that
    is down or not yet migrated leaves the stream as it is (REST tickers still answer) rather
    than failing start-up.
    """
    try:
        async with sessionmaker() as session:
            symbols = await SymbolRepository(session).active_member_symbols()
    except (SQLAlchemyError, OSError, TimeoutError) as exc:
        logger.warning(
            "portfolio symbols unavailable (%s); ticker stream unchanged", exc.__class__.__name__
        )
        return set()
    await stream.set_symbols(symbols)
    if symbols:
        stream.start()
    return symbols


class TickerFollower:
    """Keeps the ticker stream on the active members, whoever changed them and wherever.

    `request()` is all a change costs its committer: synchronous, it never blocks or raises
    (this replica's commit hook and the change notifications of every replica call it). One
    task re-reads the members `coalesce_s` later, so a burst of changes costs one read; a
    change during a resync brings another. A failure is logged, and the next change retries.
    """

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        stream: TickerStream,
        *,
        coalesce_s: float = 0.2,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.stream = stream
        self.coalesce_s = coalesce_s
        self.resyncs = 0
        self._wanted = asyncio.Event()
        self._task = BackgroundTask("ticker-follower", self._run)

    def request(self) -> None:
        """The membership may have changed: resync soon (a request made before `start` waits)."""
        self._wanted.set()

    async def resync(self) -> set[str]:
        """Point the stream at the stored members now; the symbols it follows."""
        self.resyncs += 1
        return await follow_portfolio_prices(self.sessionmaker, self.stream)

    def start(self) -> None:
        self._task.start()

    async def stop(self) -> None:
        await self._task.stop()

    async def _run(self) -> None:
        self._task.mark_ready()
        while True:
            await self._wanted.wait()
            await asyncio.sleep(self.coalesce_s)  # the rest of the burst joins this resync
            self._wanted.clear()
            try:
                await self.resync()
            except Exception:  # the stream stays as it was; the next change tries again
                logger.exception("ticker stream not resynced with the portfolio")
