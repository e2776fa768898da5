"""The ticker stream kept on the portfolio's members: the price cache's live ticks for them."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.kucoin.websocket import TickerStream
from app.platform.runtime.background import BackgroundTask
from app.portfolio.repository import PortfolioRepository

logger = logging.getLogger(__name__)


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
            symbols = await PortfolioRepository(session).active_symbols()
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
