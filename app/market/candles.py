"""Candle store: loads history once, then fetches only what is missing; records gaps."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.kucoin.exchange_errors import ExchangeError
from app.kucoin.gateway import CandleBar, KucoinGateway
from app.market.models import Symbol
from app.market.repository.candles import CandleRepository, CandleRow, GapRow
from app.platform.core.clock import utcnow
from app.platform.core.units import HOUR_MIN
from app.platform.db.sqlite_writer import end_write_turn
from app.platform.runtime.progress import advance

logger = logging.getLogger(__name__)

STORE_BATCH = 5000  # candle rows per insert round-trip
# Rows written per step: on SQLite each step commits, so the one writer is held for one step
# (tens of milliseconds), not for a batch that may hold every symbol's window at first fill.
INSERT_STEP = 1000


@dataclass
class CandleRefresh:
    granularity_min: int
    symbols: int = 0
    up_to_date: int = 0
    fetched: int = 0
    inserted: int = 0
    gaps: int = 0
    failures: dict[str, str] = field(default_factory=dict)
    duration_ms: float = 0.0


@dataclass(frozen=True)
class _Plan:
    symbol: Symbol
    start: datetime
    end: datetime
    previous_last: datetime | None


def last_closed_open_time(now: datetime, step: timedelta) -> datetime:
    """Open time of the newest candle that has closed by `now`."""
    epoch = datetime(1970, 1, 1, tzinfo=now.tzinfo)
    floored = epoch + ((now - epoch) // step) * step
    return floored - step


def find_gaps(
    times: Sequence[datetime], step: timedelta, previous_last: datetime | None
) -> list[tuple[datetime, datetime, int]]:
    """Runs of missing open times between consecutive known candles (not before the first)."""
    gaps = []
    before = previous_last
    for moment in times:
        if before is not None and moment - before > step:
            missing = int((moment - before) / step) - 1
            gaps.append((before + step, moment - step, missing))
        before = moment
    return gaps


class CandleService:
    """Keeps the stored hourly candles up to date from KuCoin, incrementally, gaps recorded."""

    def __init__(
        self, session: AsyncSession, gateway: KucoinGateway, *, concurrency: int = 32
    ) -> None:
        self.session = session
        self.candles = CandleRepository(session)
        self.gateway = gateway
        self.concurrency = concurrency

    async def refresh(
        self,
        symbols: Sequence[Symbol],
        *,
        granularity_min: int = HOUR_MIN,
        lookback: int = 500,
        now: datetime | None = None,
    ) -> CandleRefresh:
        """Bring stored closed candles up to date; one symbol's failure does not stop the rest.

        Fetches run concurrently (bounded) while one consumer stores what has arrived, so the
        database works during the rate limiter's waits instead of after the last reply.
        """
        started = time.perf_counter()
        now = now or utcnow()
        step = timedelta(minutes=granularity_min)
        newest = last_closed_open_time(now, step)
        latest = await self.candles.latest_open_times([s.id for s in symbols], granularity_min)
        result = CandleRefresh(granularity_min=granularity_min, symbols=len(symbols))
        plans = []
        for symbol in symbols:
            last = latest.get(symbol.id)
            start = last + step if last else newest - (lookback - 1) * step
            if start > newest:
                result.up_to_date += 1
            else:
                plans.append(_Plan(symbol, start, newest, last))
        arrived: asyncio.Queue[tuple[_Plan, list[CandleBar]] | None] = asyncio.Queue()
        store = asyncio.create_task(
            self._store(arrived, granularity_min, step, now, newest, result)
        )
        try:
            await self._fetch_all(plans, granularity_min, result, arrived)
        finally:
            await arrived.put(None)
            await store
        result.duration_ms = round((time.perf_counter() - started) * 1000, 3)
        return result

    async def _fetch_all(
        self,
        plans: list[_Plan],
        granularity_min: int,
        result: CandleRefresh,
        arrived: asyncio.Queue[tuple[_Plan, list[CandleBar]] | None],
    ) -> None:
        limit = asyncio.Semaphore(self.concurrency)
        fetched = [0]

        async def fetch(plan: _Plan) -> None:
            async with limit:
                try:
                    bars = await self.gateway.get_candles(
                        plan.symbol.symbol, granularity_min, plan.start, plan.end
                    )
                except ExchangeError as exc:
                    result.failures[plan.symbol.symbol] = exc.slug
                    logger.warning("candles for %s not fetched: %s", plan.symbol.symbol, exc)
                    return
                finally:
                    fetched[0] += 1
                    advance(fetched[0] / len(plans))
                await arrived.put((plan, bars))

        await asyncio.gather(*(fetch(p) for p in plans))

    async def _store(
        self,
        arrived: asyncio.Queue[tuple[_Plan, list[CandleBar]] | None],
        granularity_min: int,
        step: timedelta,
        now: datetime,
        newest: datetime,
        result: CandleRefresh,
    ) -> None:
        """The only user of the session while fetches run: inserts in batches as bars arrive.

        The newest closed hour's candles (`newest`, every symbol's) are written last, in one
        step: on SQLite each step commits, and the live records mark an hour once its candles
        are stored, so an hour must never be visible for some symbols and not yet for others."""
        rows: list[CandleRow] = []
        newest_rows: list[CandleRow] = []
        gaps: list[GapRow] = []
        done = False
        while not done:
            item = await arrived.get()
            batch = [item]
            while not arrived.empty():  # take everything that is already waiting
                batch.append(arrived.get_nowait())
            for entry in batch:
                if entry is None:
                    done = True
                    continue
                plan, bars = entry
                for bar in bars:
                    row = candle_row(plan.symbol.id, granularity_min, bar, now)
                    (newest_rows if bar.open_time >= newest else rows).append(row)
                gaps.extend(_gap_rows(plan, bars, granularity_min, step, now))
            if len(rows) >= STORE_BATCH or done:
                result.fetched += len(rows)
                for start in range(0, len(rows), INSERT_STEP):
                    result.inserted += await self.candles.insert_missing(
                        rows[start : start + INSERT_STEP], source=self.gateway.source_kind
                    )
                    await end_write_turn(self.session)  # SQLite: one step at a time
                rows = []
        result.fetched += len(newest_rows)
        result.inserted += await self.candles.insert_missing(
            newest_rows, source=self.gateway.source_kind
        )
        await self.candles.add_gaps(gaps)
        result.gaps = len(gaps)
        await end_write_turn(self.session)


def _gap_rows(
    plan: _Plan, bars: list[CandleBar], granularity_min: int, step: timedelta, now: datetime
) -> list[GapRow]:
    return [
        {
            "symbol_id": plan.symbol.id,
            "granularity_min": granularity_min,
            "gap_start": gap_start,
            "gap_end": gap_end,
            "missing_count": missing,
            "detected_at": now,
        }
        for gap_start, gap_end, missing in find_gaps(
            [b.open_time for b in bars], step, plan.previous_last
        )
    ]


def candle_row(symbol_id: int, granularity_min: int, bar: CandleBar, now: datetime) -> CandleRow:
    """A stored candle row of `bar`, learned at `now`."""
    return {
        "symbol_id": symbol_id,
        "granularity_min": granularity_min,
        "open_time": bar.open_time,
        "open": bar.open,
        "high": bar.high,
        "low": bar.low,
        "close": bar.close,
        "volume": bar.volume,
        "fetched_at": now,
    }
