"""Imports KuCoin history for a date range into the database, for replays of the service's own
past: hourly candles and funding settlements, symbol by symbol through the existing client (its
rate limiter and breaker included). Each symbol's rows are committed as soon as they are stored,
so an interrupted import resumes after the last stored candle and settlement of each symbol."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.kucoin.exchange_errors import ExchangeError
from app.kucoin.gateway import KucoinGateway
from app.market.candles import candle_row, last_closed_open_time
from app.market.models import Symbol
from app.market.repository.candles import CandleRepository
from app.market.repository.funding import FundingRepository
from app.market.repository.symbols import SymbolRepository
from app.market.service import UniverseService
from app.platform.core.clock import utcnow
from app.platform.core.units import HOUR, HOUR_MIN
from app.portfolio.holdings import PortfolioHoldings

logger = logging.getLogger(__name__)
FUNDING_WINDOW = timedelta(days=4)  # KuCoin's per-call cap is undocumented: stay well under it


@dataclass
class ImportProgress:
    symbols_total: int
    symbols_done: int = 0
    candles_inserted: int = 0
    settlements_inserted: int = 0
    failures: dict[str, str] = field(default_factory=dict)  # symbol -> error slug


class HistoryImportService:
    """Fills `candle` and `funding_settlement` for [start, end] from KuCoin."""

    def __init__(
        self,
        open_session: Callable[[], AbstractAsyncContextManager[AsyncSession]],
        gateway: KucoinGateway,
    ) -> None:
        self.open_session = open_session
        self.gateway = gateway

    async def run(
        self,
        start: datetime,
        end: datetime,
        symbols: Sequence[str] | None = None,
        progress: Callable[[ImportProgress], None] | None = None,
    ) -> ImportProgress:
        """Sync the contract list, then import every asked symbol (default: every eligible
        one); one symbol's failure is recorded and the rest go on."""
        rows = await self._symbols(symbols)
        state = ImportProgress(symbols_total=len(rows))
        for row in rows:
            try:
                candles, settlements = await self._import(row, start, end)
            except ExchangeError as exc:
                state.failures[row.symbol] = exc.slug
                logger.warning("import of %s stopped: %s", row.symbol, exc)
            else:
                state.candles_inserted += candles
                state.settlements_inserted += settlements
            state.symbols_done += 1
            if progress is not None:
                progress(state)
        return state

    async def _symbols(self, names: Sequence[str] | None) -> list[Symbol]:
        async with self.open_session() as session:
            # Today's contract list first (a member's delisting is alerted as critical).
            await UniverseService(session, self.gateway).sync(PortfolioHoldings())
            await session.commit()
            repository = SymbolRepository(session)
            if names is None:
                stored = (await repository.all_by_kucoin_symbol()).values()
                return sorted((s for s in stored if s.is_eligible), key=lambda s: s.symbol)
            found = []
            for name in names:
                row = await repository.get_by_symbol(await self.gateway.canonical(name))
                if row is None:
                    raise LookupError(f"{name} is not in the synced universe; sync first")
                found.append(row)
            return found

    async def _import(self, symbol: Symbol, start: datetime, end: datetime) -> tuple[int, int]:
        async with self.open_session() as session:
            candles = CandleRepository(session)
            latest = (await candles.latest_open_times([symbol.id], HOUR_MIN)).get(symbol.id)
            since = start if latest is None or latest < start else latest + HOUR
            last_closed = min(end, last_closed_open_time(utcnow(), HOUR))  # never the open bar
            inserted = 0
            if since <= last_closed:
                bars = await self.gateway.get_candles(symbol.symbol, HOUR_MIN, since, last_closed)
                now = utcnow()
                inserted = await candles.insert_missing(
                    [candle_row(symbol.id, HOUR_MIN, bar, now) for bar in bars],
                    source=self.gateway.source_kind,
                )
            await session.commit()  # the candles stay even if funding fails below
            settled = await self._import_funding(session, symbol, start, end)
            return inserted, settled

    async def _import_funding(
        self, session: AsyncSession, symbol: Symbol, start: datetime, end: datetime
    ) -> int:
        funding = FundingRepository(session)
        latest = (await funding.latest([symbol.id])).get(symbol.id)
        cursor = start if latest is None or latest < start else latest + timedelta(milliseconds=1)
        inserted = 0
        while cursor <= end:
            window_end = min(end, cursor + FUNDING_WINDOW)
            points = await self.gateway.get_funding_history(symbol.symbol, cursor, window_end)
            now = utcnow()
            inserted += await funding.insert_missing(
                [
                    {"symbol_id": symbol.id, "settled_at": p.at, "rate": p.rate, "fetched_at": now}
                    for p in points
                    if cursor <= p.at <= window_end
                ]
            )
            await session.commit()  # resumable window by window
            cursor = window_end + timedelta(milliseconds=1)
        return inserted
