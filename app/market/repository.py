"""The market domain's queries: the contract universe (symbols), the candles and their gaps,
the funding settlements and what was checked."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, NotRequired, TypedDict

import numpy as np
from sqlalchemy import case, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import FromClause

from app.market.contracts.data_source import KINDS, Provenance
from app.market.models import Candle, CandleGap, FundingSettlement, MarketDataSource, Symbol
from app.platform.core.clock import utcnow
from app.platform.db.models import FundingChecked
from app.platform.db.repositories.streaming import in_slices, numeric_slices
from app.platform.db.session_flags import mark_portfolio_changed
from app.platform.db.sqlite_writer import write_connection
from app.platform.db.transaction_locks import hold_until_end
from app.platform.db.types import epoch_ms

INSERT_CHUNK = 2000
# Rows per slice of `close_table`: a few milliseconds of the event loop each at most, and twenty
# round trips for ten symbols' 2000 hours.
CLOSES_SLICE = 1000


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
        (symbol id, open time in epoch ms, open, high, low, close, volume), in slices (float
        tables), so that the event loop serves other requests between them."""
        query = select(
            Candle.symbol_id,
            epoch_ms(Candle.open_time),
            Candle.open,
            Candle.high,
            Candle.low,
            Candle.close,
            Candle.volume,
        ).where(
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
        """(symbol id, open time in epoch ms, open, high, low, close, volume) of every symbol's
        candles opening in [start, end], by symbol then time (a replay's history), in slices
        (float tables)."""
        query = (
            select(
                Candle.symbol_id,
                epoch_ms(Candle.open_time),
                Candle.open,
                Candle.high,
                Candle.low,
                Candle.close,
                Candle.volume,
            )
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
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        return dialect.insert(model).on_conflict_do_nothing()

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


def unindexed(column: Any) -> Any:
    """`column` as no index can serve it: the planner then reads the few rows another
    condition's index selects (the `fetched_at` one) rather than every row of the column's range
    (SQLite's planner has no statistics to tell the two apart)."""
    return func.coalesce(column, column)


# Serialises universe syncs across replicas (PostgreSQL; SQLite serialises writers itself).
UNIVERSE_LOCK_KEY = 0x4D5953594E43  # "MYSYNC"


@dataclass(frozen=True)
class SymbolFilter:
    status: str | None = None
    eligible: bool | None = None
    quote: str | None = None


class SymbolRepository:
    """The `symbol` table: the synced contract universe."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_universe(self) -> None:
        """Hold a transaction-scoped lock so two syncs never interleave their upserts."""
        mark_portfolio_changed(self.session)  # new market data: prices and ages change
        await hold_until_end(self.session, UNIVERSE_LOCK_KEY)

    async def all_by_kucoin_symbol(self) -> dict[str, Symbol]:
        rows = (await self.session.scalars(select(Symbol))).all()
        return {row.kucoin_symbol: row for row in rows}

    async def get_many(self, ids: Sequence[int]) -> Sequence[Symbol]:
        if not ids:
            return []
        return (await self.session.scalars(select(Symbol).where(Symbol.id.in_(ids)))).all()

    async def ids_of(self, symbols: Sequence[str]) -> list[int]:
        """The ids of those of `symbols` (canonical) that are stored, ascending."""
        found = await self.session.scalars(select(Symbol.id).where(Symbol.symbol.in_(symbols)))
        return sorted(found.all())

    async def get_by_symbol(self, symbol: str) -> Symbol | None:
        return await self.session.scalar(select(Symbol).where(Symbol.symbol == symbol))

    async def forms(self, symbols: Sequence[str]) -> dict[str, tuple[str, str | None, str]]:
        """The stored forms of canonical `symbols`: (kucoin_symbol, ccxt_symbol, status)."""
        if not symbols:
            return {}
        rows = await self.session.execute(
            select(Symbol.symbol, Symbol.kucoin_symbol, Symbol.ccxt_symbol, Symbol.status).where(
                Symbol.symbol.in_(sorted(set(symbols)))
            )
        )
        return {r[0]: (r[1], r[2], r[3]) for r in rows.all()}

    async def tick_sizes(self, symbols: Sequence[str]) -> dict[str, Decimal]:
        """The stored price steps of canonical `symbols` (one never synced is left out)."""
        if not symbols:
            return {}
        rows = await self.session.execute(
            select(Symbol.symbol, Symbol.tick_size).where(Symbol.symbol.in_(sorted(set(symbols))))
        )
        return {r[0]: r[1] for r in rows.all()}

    def add(self, symbol: Symbol) -> None:
        self.session.add(symbol)

    async def flush(self) -> None:
        await self.session.flush()

    async def page(
        self, filters: SymbolFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[Symbol], int]:
        query = select(Symbol)
        if filters.status is not None:
            query = query.where(Symbol.status == filters.status)
        if filters.eligible is not None:
            query = query.where(Symbol.is_eligible.is_(filters.eligible))
        if filters.quote is not None:
            query = query.where(Symbol.quote_currency == filters.quote)
        total = await self.session.scalar(select(func.count()).select_from(query.subquery()))
        ordered = (
            query.order_by(Symbol.turnover_24h.desc().nulls_last(), Symbol.symbol)
            .limit(limit)
            .offset(offset)
        )
        return (await self.session.scalars(ordered)).all(), int(total or 0)


class FundingRow(TypedDict):
    """A `funding_settlement` row to insert (`fetched_at`: the column's default when absent)."""

    symbol_id: int
    settled_at: datetime
    rate: float
    fetched_at: NotRequired[datetime]


class FundingRepository:
    """The `funding_settlement` table."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def insert_missing(self, rows: Sequence[FundingRow]) -> int:
        """Insert settlements, ignoring (symbol, time) already stored; how many were new."""
        if not rows:
            return 0
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        statement = (
            dialect.insert(FundingSettlement)
            .on_conflict_do_nothing()
            .returning(FundingSettlement.symbol_id)
        )
        result = await self.session.execute(statement, list(rows))
        return len(result.all())

    async def latest(self, symbol_ids: Sequence[int]) -> dict[int, datetime]:
        """The newest stored settlement time of each symbol that has one."""
        rows = await self.session.execute(
            select(FundingSettlement.symbol_id, func.max(FundingSettlement.settled_at))
            .where(FundingSettlement.symbol_id.in_(symbol_ids))
            .group_by(FundingSettlement.symbol_id)
        )
        return {symbol_id: at for symbol_id, at in rows.all() if at is not None}

    async def between(
        self, symbol_ids: Sequence[int], start: datetime, end: datetime
    ) -> Sequence[tuple[int, datetime, float]]:
        """(symbol id, settlement time, rate) in [start, end], oldest first."""
        query = (
            select(
                FundingSettlement.symbol_id, FundingSettlement.settled_at, FundingSettlement.rate
            )
            .where(
                FundingSettlement.symbol_id.in_(symbol_ids),
                FundingSettlement.settled_at >= start,
                FundingSettlement.settled_at <= end,
            )
            .order_by(FundingSettlement.symbol_id, FundingSettlement.settled_at)
        )
        out: list[tuple[int, datetime, float]] = []
        async for part in in_slices(self.session, query):  # a replay's: thousands of rows
            out.extend((i, at, float(rate)) for i, at, rate in part)
        return out

    async def checked(self, symbol_ids: Sequence[int]) -> dict[int, datetime]:
        """Until when each symbol's settlements were last asked for."""
        rows = await self.session.execute(
            select(FundingChecked.symbol_id, FundingChecked.checked_until).where(
                FundingChecked.symbol_id.in_(symbol_ids)
            )
        )
        return {symbol_id: at for symbol_id, at in rows.all()}

    async def mark_checked(self, symbol_ids: Sequence[int], until: datetime) -> None:
        if not symbol_ids:
            return
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        statement = dialect.insert(FundingChecked).values(
            [{"symbol_id": i, "checked_until": until} for i in symbol_ids]
        )
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[FundingChecked.symbol_id],
                set_={"checked_until": statement.excluded.checked_until},
            )
        )

    async def fetched_since(self, start: datetime, end: datetime, since: datetime) -> int:
        """How many settlements in [start, end] were fetched at or after `since`."""
        settled = unindexed(FundingSettlement.settled_at)
        count = await self.session.scalar(
            select(func.count())
            .select_from(FundingSettlement)
            .where(FundingSettlement.fetched_at >= since, settled >= start, settled <= end)
        )
        return int(count or 0)

    async def every_between(
        self, after: datetime, until: datetime, *, inclusive: bool
    ) -> list[tuple[int, datetime, float]]:
        """Every symbol's settlements (symbol id, time, rate) after `after` (`inclusive`: at or
        after it) until `until`."""
        at = FundingSettlement.settled_at
        query = select(FundingSettlement.symbol_id, at, FundingSettlement.rate).where(
            at >= after if inclusive else at > after, at <= until
        )
        rows = (await self.session.execute(query)).all()
        return [(int(i), moment, float(rate)) for i, moment, rate in rows]


class MarketDataSourceRepository:
    """Where stored candles came from (`market_data_source`), kept with what is stored: each
    insert of candles records its source's kind (`app.market.contracts.data_source.KINDS`) and
    the open times it filled, so that a figure computed from candles can say whether any was
    generated, whatever source the service reads now (a database filled from the simulator and
    then pointed at KuCoin, or a restart before its first answer, still knows)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, source: str, open_times: Sequence[datetime]) -> None:
        """Widen `source`'s span of stored open times to cover `open_times` (one statement: two
        writers widen it without losing either's times). In the caller's transaction."""
        if not open_times:
            return
        if source not in KINDS:
            raise ValueError(f"unknown market data source {source!r}: one of {KINDS}")
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        table = MarketDataSource.__table__
        statement = dialect.insert(MarketDataSource).values(
            source=source,
            first_open_time=min(open_times),
            last_open_time=max(open_times),
            last_stored_at=utcnow(),
        )
        new = statement.excluded
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[MarketDataSource.source],
                set_={
                    "first_open_time": case(
                        (new.first_open_time < table.c.first_open_time, new.first_open_time),
                        else_=table.c.first_open_time,
                    ),
                    "last_open_time": case(
                        (new.last_open_time > table.c.last_open_time, new.last_open_time),
                        else_=table.c.last_open_time,
                    ),
                    "last_stored_at": new.last_stored_at,
                },
            )
        )

    async def between(self, start: datetime, end: datetime) -> Provenance:
        """The kinds of source that stored candles opening in [start, end], in `KINDS` order."""
        rows = await self.session.scalars(
            select(MarketDataSource.source).where(
                MarketDataSource.first_open_time <= end, MarketDataSource.last_open_time >= start
            )
        )
        return Provenance.of(rows.all())
