"""The candles and their gaps: stored, read as columns and as closes, their coverage."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import datetime
from typing import Any, TypedDict

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import FromClause

from app.market.models import (
    Candle,
    CandleGap,
)
from app.market.repository.conditions import unindexed
from app.market.repository.sources import MarketDataSourceRepository
from app.platform.db.inserts import dialect_insert
from app.platform.db.repositories.streaming import numeric_slices
from app.platform.db.sqlite_writer import write_connection
from app.platform.db.types import epoch_ms

INSERT_CHUNK = 2000
# Rows per slice of `close_table`: a few milliseconds of the event loop each at most, and twenty
# round trips for ten symbols' 2000 hours.
CLOSES_SLICE = 1000

# A bar as the candle slices carry it: (symbol id, open time in epoch ms, open, high, low, close,
# volume).
BAR_COLUMNS = (
    Candle.symbol_id,
    epoch_ms(Candle.open_time),
    Candle.open,
    Candle.high,
    Candle.low,
    Candle.close,
    Candle.volume,
)


class CandleRow(TypedDict):
    """A `candle` row to insert."""

    symbol_id: int
    granularity_min: int
    open_time: datetime
    open: float
    high: float
    low: float
    close: float
    volume: float
    fetched_at: datetime


class GapRow(TypedDict):
    """A `candle_gap` row to insert."""

    symbol_id: int
    granularity_min: int
    gap_start: datetime
    gap_end: datetime
    missing_count: int
    detected_at: datetime


def _symbol_columns(symbols: list[tuple[int, np.ndarray, np.ndarray]]) -> np.ndarray:
    """A float table of (symbol id, time, value) from each symbol's times and values."""
    if not symbols:
        return np.empty((0, 3))
    return np.concatenate([np.column_stack((np.full(len(t), i), t, v)) for i, t, v in symbols])


class CandleRepository:
    """The `candle` and `candle_gap` tables."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def latest_open_times(
        self, symbol_ids: Sequence[int], granularity_min: int
    ) -> dict[int, datetime]:
        if not symbol_ids:
            return {}
        rows = await self.session.execute(
            select(Candle.symbol_id, func.max(Candle.open_time))
            .where(Candle.granularity_min == granularity_min, Candle.symbol_id.in_(symbol_ids))
            .group_by(Candle.symbol_id)
        )
        return {symbol_id: latest for symbol_id, latest in rows.all() if latest is not None}

    def candle_slices(
        self,
        symbol_ids: Sequence[int],
        granularity_min: int,
        start: datetime,
        end: datetime,
        known_at: datetime,
    ) -> AsyncIterator[np.ndarray]:
        """Candles opening in [start, end] already stored at `known_at` (point in time), as
        `BAR_COLUMNS`, in slices (float tables), so that the event loop serves other requests
        between them."""
        query = select(*BAR_COLUMNS).where(
            Candle.symbol_id.in_(symbol_ids),
            Candle.granularity_min == granularity_min,
            Candle.open_time >= start,
            Candle.open_time <= end,
            Candle.fetched_at <= known_at,
        )
        return numeric_slices(self.session, query)

    async def insert_missing(self, rows: Sequence[CandleRow], *, source: str) -> int:
        """Insert candles, ignoring (symbol, granularity, open time) already stored, and record
        that `source` (its kind: `app.market.contracts.data_source.KINDS`) stored candles of
        their open times.

        Core insert on the session's connection (no ORM bookkeeping); RETURNING an integer
        column counts the rows actually inserted without converting any timestamp back.
        """
        table = Candle.__table__
        connection = await write_connection(self.session)
        inserted = 0
        for start in range(0, len(rows), INSERT_CHUNK):
            chunk = rows[start : start + INSERT_CHUNK]
            statement = self._insert_ignoring_duplicates(table).returning(table.c.symbol_id)
            result = await connection.execute(statement, chunk)
            inserted += len(result.all())
        if inserted:
            opened = [row["open_time"] for row in rows]
            await MarketDataSourceRepository(self.session).record(source, opened)
        return inserted

    async def add_gaps(self, gaps: Iterable[GapRow]) -> None:
        gaps = list(gaps)
        if gaps:
            await self.session.execute(self._insert_ignoring_duplicates(CandleGap), gaps)

    async def closes(
        self, symbol_ids: Sequence[int], granularity_min: int, start: datetime, end: datetime
    ) -> Sequence[tuple[int, datetime, float]]:
        """(symbol id, open time, close) of candles opening in [start, end]."""
        rows = await self.session.execute(
            select(Candle.symbol_id, Candle.open_time, Candle.close).where(
                Candle.symbol_id.in_(symbol_ids),
                Candle.granularity_min == granularity_min,
                Candle.open_time >= start,
                Candle.open_time <= end,
            )
        )
        return list(rows.all())

    async def close_table(
        self, symbol_ids: Sequence[int], granularity_min: int, start: datetime, end: datetime
    ) -> np.ndarray:
        """(symbol id, open time in epoch ms, close) of candles opening in [start, end], one
        float table in no particular order. As ORM rows with their datetimes, ten symbols' 2000
        hours held the event loop 25-45 ms in one piece; here PostgreSQL sends a row per symbol
        with its times and closes as arrays (6-9 ms of the loop's CPU, against 20-30 for the
        rows), and SQLite the plain numbers in slices."""
        if not symbol_ids:
            return np.empty((0, 3))
        opened = epoch_ms(Candle.open_time)
        stored = (
            Candle.symbol_id.in_(symbol_ids),
            Candle.granularity_min == granularity_min,
            Candle.open_time >= start,
            Candle.open_time <= end,
        )
        if self.session.get_bind().dialect.name == "postgresql":
            # The two aggregates take the group's rows together, one by one: the arrays pair up
            # (ordered by time inside them, the query cost twice as much of the server's CPU).
            arrays = (
                select(Candle.symbol_id, func.array_agg(opened), func.array_agg(Candle.close))
                .where(*stored)
                .group_by(Candle.symbol_id)
            )
            connection = await self.session.connection()
            symbols = (await connection.execute(arrays)).all()
            return _symbol_columns([(i, np.array(t), np.array(c)) for i, t, c in symbols])
        query = select(Candle.symbol_id, opened, Candle.close).where(*stored)
        parts = [part async for part in numeric_slices(self.session, query, CLOSES_SLICE)]
        return np.concatenate(parts) if parts else np.empty((0, 3))

    def bars(
        self, granularity_min: int, start: datetime, end: datetime
    ) -> AsyncIterator[np.ndarray]:
        """Every symbol's candles opening in [start, end] as `BAR_COLUMNS`, by symbol then time
        (a replay's history), in slices (float tables)."""
        query = (
            select(*BAR_COLUMNS)
            .where(
                Candle.granularity_min == granularity_min,
                Candle.open_time >= start,
                Candle.open_time <= end,
            )
            .order_by(Candle.symbol_id, Candle.open_time)
        )
        return numeric_slices(self.session, query)

    async def span(self, granularity_min: int) -> tuple[datetime | None, datetime | None]:
        """The first and last stored open times of any symbol."""
        row = (
            await self.session.execute(
                select(func.min(Candle.open_time), func.max(Candle.open_time)).where(
                    Candle.granularity_min == granularity_min
                )
            )
        ).one()
        return row[0], row[1]

    async def count(self, symbol_id: int, granularity_min: int) -> int:
        total = await self.session.scalar(
            select(func.count()).where(
                Candle.symbol_id == symbol_id, Candle.granularity_min == granularity_min
            )
        )
        return int(total or 0)

    async def gaps(self, symbol_id: int, granularity_min: int) -> Sequence[CandleGap]:
        query = (
            select(CandleGap)
            .where(CandleGap.symbol_id == symbol_id, CandleGap.granularity_min == granularity_min)
            .order_by(CandleGap.gap_start)
        )
        return (await self.session.scalars(query)).all()

    def _insert_ignoring_duplicates(self, model: FromClause | type[Any]) -> Any:
        return dialect_insert(self.session, model).on_conflict_do_nothing()

    async def fetched_since(
        self, granularity_min: int, start: datetime, end: datetime, since: datetime
    ) -> int:
        """How many candles opening in [start, end] were fetched at or after `since` (read by
        the `fetched_at` index: only the rows stored since)."""
        opened = unindexed(Candle.open_time)
        count = await self.session.scalar(
            select(func.count())
            .select_from(Candle)
            .where(
                Candle.fetched_at >= since,
                Candle.granularity_min == granularity_min,
                opened >= start,
                opened <= end,
            )
        )
        return int(count or 0)
