"""Queries of the live records, flushes, never commits: each record's one row, moved by
compare-and-set (`OneRowRecordRepository`); the as-run record's hours and decisions, and the
audit rows, candles and settlements it reads (`AsRunRepository`); the forward record's hours,
trades and days (`ForwardRepository`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, TypedDict

from sqlalchemy import Integer, String, Text, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import defer

from app.market.models import Candle, FundingSettlement, Symbol
from app.platform.core.clock import utcnow
from app.platform.core.units import HOUR, HOUR_MIN
from app.platform.db.types import UTCDateTime
from app.portfolio.models import PortfolioHistory
from app.portfolio.repository import compact_members_sql
from app.records.models import (
    ROW_ID,
    ForwardDay,
    ForwardHour,
    ForwardRecord,
    ForwardTrade,
    OneRowRecord,
    TrackRecord,
    TrackRecordDecision,
    TrackRecordHour,
)


class LostRace(RuntimeError):
    """Another transaction moved the record first (nothing of this one is kept)."""


class OneRowRecordRepository:
    """A record's one row: created once, then moved from the hour it stands at, or `LostRace`."""

    model: type[OneRowRecord]
    named: str  # the record, in `LostRace`'s message

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _create(self, **values: Any) -> None:
        """The record's first row (LostRace if another transaction created it)."""
        try:
            await self.session.execute(
                insert(self.model).values(id=ROW_ID, **values, updated_at=utcnow())
            )
        except IntegrityError as exc:
            raise LostRace(f"{self.named} was started by another transaction") from exc

    async def _advance(self, expected: datetime, **values: Any) -> datetime:
        """Move the record from `expected` (LostRace if it is not there); its new `updated_at`."""
        updated_at = utcnow()
        model = self.model
        result = await self.session.execute(
            update(model)
            .where(model.id == ROW_ID, model.last_hour == expected)
            .values(**values, updated_at=updated_at)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise LostRace(f"{self.named} is no longer at {expected.isoformat()}")
        return updated_at


class TrackRecordHourRow(TypedDict):
    """A `track_record_hour` row to insert: one book's equity at one hour."""

    strategy: str
    at: datetime
    equity: float
    gap: bool


class TrackRecordDecisionRow(TypedDict):
    """A `track_record_decision` row to insert: a change the as-run record traded."""

    at: datetime
    audit_id: int
    actor: str
    reason: str
    config_hash: str
    fee_bps: float
    slippage_bps: float
    weights: dict[str, float]  # fractions
    turnover: dict[str, float]  # by book
    fees: dict[str, float]


class AsRunRepository(OneRowRecordRepository):
    """The record's three tables, and the audit rows, candles and settlements it reads."""

    model = TrackRecord
    named = "the track record"

    async def get(self) -> TrackRecord | None:
        return await self.session.get(TrackRecord, ROW_ID, populate_existing=True)

    async def create(
        self, inception: datetime, last_hour: datetime, last_audit_id: int, state: dict[str, Any]
    ) -> None:
        """The record's first row (LostRace if another transaction created it)."""
        await self._create(
            inception_at=inception, last_hour=last_hour, last_audit_id=last_audit_id, state=state
        )

    async def advance(
        self,
        expected_hour: datetime,
        last_hour: datetime,
        last_audit_id: int,
        state: dict[str, Any],
    ) -> None:
        """Move the record from `expected_hour` to `last_hour` (LostRace if it is not there)."""
        await self._advance(
            expected_hour, last_hour=last_hour, last_audit_id=last_audit_id, state=state
        )

    async def add_hours(self, rows: Sequence[TrackRecordHourRow]) -> None:
        if rows:
            await self.session.execute(insert(TrackRecordHour), list(rows))

    async def add_decisions(self, rows: Sequence[TrackRecordDecisionRow]) -> None:
        if rows:
            await self.session.execute(insert(TrackRecordDecision), list(rows))

    async def hours(self) -> Sequence[tuple[str, datetime, float, bool]]:
        """(strategy, hour, equity, gap), by strategy then hour."""
        query = select(
            TrackRecordHour.strategy,
            TrackRecordHour.at,
            TrackRecordHour.equity,
            TrackRecordHour.gap,
        ).order_by(TrackRecordHour.strategy, TrackRecordHour.at)
        return [tuple(r) for r in (await self.session.execute(query)).all()]  # type: ignore[misc]

    async def decisions(self) -> Sequence[TrackRecordDecision]:
        query = select(TrackRecordDecision).order_by(TrackRecordDecision.at)
        return (await self.session.scalars(query)).all()

    # What the record reads.

    async def first_audit(self) -> tuple[int, datetime] | None:
        row = (
            await self.session.execute(
                select(PortfolioHistory.id, PortfolioHistory.occurred_at)
                .order_by(PortfolioHistory.id)
                .limit(1)
            )
        ).first()
        return None if row is None else (row[0], row[1])

    async def states_after(self, audit_id: int) -> list[tuple[int, datetime, str, str, str]]:
        """Audit rows after `audit_id`, oldest first: (id, occurred_at, actor, reason or
        action, members as "rank,weight,symbol;..." in rank order)."""
        dialect = self.session.get_bind().dialect.name
        query = text(
            f"SELECT h.id, h.occurred_at, h.actor, coalesce(h.reason, h.action) AS reason, "
            f"{compact_members_sql(dialect)} AS members FROM portfolio_history AS h "
            "WHERE h.id > :after ORDER BY h.id"
        ).columns(
            id=Integer(),
            occurred_at=UTCDateTime(),
            actor=String(),
            reason=Text(),
            members=String(),
        )
        rows = (await self.session.execute(query, {"after": audit_id})).all()
        return [(int(r[0]), r[1], str(r[2]), str(r[3]), r[4] or "") for r in rows]

    async def replacements_since(self, since: datetime) -> list[tuple[datetime, str, str]]:
        """(occurred_at, newcomer, replaced) of every replacement since `since`."""
        query = (
            select(
                PortfolioHistory.occurred_at,
                PortfolioHistory.symbol,
                PortfolioHistory.replaced_symbol,
            )
            .where(
                PortfolioHistory.action == "replace",
                PortfolioHistory.occurred_at >= since,
                PortfolioHistory.symbol.is_not(None),
                PortfolioHistory.replaced_symbol.is_not(None),
            )
            .order_by(PortfolioHistory.id)
        )
        return [(at, str(new), str(old)) for at, new, old in (await self.session.execute(query))]

    async def last_candle_open(self) -> datetime | None:
        return await self.session.scalar(
            select(func.max(Candle.open_time)).where(Candle.granularity_min == HOUR_MIN)
        )

    async def closes(
        self, first_open: datetime, last_open: datetime, symbols: Sequence[str] | None = None
    ) -> Sequence[tuple[str, datetime, float]]:
        """(symbol, open time, close) of hourly candles opening in [first_open, last_open]."""
        query = (
            select(Symbol.symbol, Candle.open_time, Candle.close)
            .join(Symbol, Symbol.id == Candle.symbol_id)
            .where(
                Candle.granularity_min == HOUR_MIN,
                Candle.open_time >= first_open,
                Candle.open_time <= last_open,
            )
        )
        if symbols is not None:
            query = query.where(Symbol.symbol.in_(list(symbols)))
        return [tuple(r) for r in (await self.session.execute(query)).all()]  # type: ignore[misc]

    async def settlements(
        self, first: datetime, last: datetime
    ) -> Sequence[tuple[str, datetime, float]]:
        """(symbol, settlement time, rate) settled in [first, last]."""
        query = (
            select(Symbol.symbol, FundingSettlement.settled_at, FundingSettlement.rate)
            .join(Symbol, Symbol.id == FundingSettlement.symbol_id)
            .where(FundingSettlement.settled_at >= first, FundingSettlement.settled_at <= last)
        )
        return [(s, at, float(rate)) for s, at, rate in (await self.session.execute(query)).all()]


class ForwardHourRow(TypedDict):
    """A `forward_hour` row to insert: one book's equity at one hour."""

    book: str
    at: datetime
    equity: float


class ForwardTradeRow(TypedDict):
    """A `forward_trade` row to insert: what one book traded at one hour."""

    book: str
    at: datetime
    weights: dict[str, float]  # fractions, right after the trade
    turnover: float
    fees: float
    config_hash: str
    fee_bps: float
    slippage_bps: float


class ForwardDayRow(TypedDict):
    """A `forward_day` row to insert: one book's judged daily decision (None: not finite)."""

    book: str
    decided_at: datetime
    entry_at: datetime
    following_at: datetime
    book_return: float | None
    skill_ic: float | None
    universe_return: float | None
    config_hash: str
    fee_bps: float
    slippage_bps: float


class ForwardRepository(OneRowRecordRepository):
    """The forward record's one row (moved by compare-and-set), its hours, trades and days."""

    model = ForwardRecord
    named = "the forward record"

    async def get(self) -> ForwardRecord | None:
        """The record without its state (`state` reads it: most readers need only where the
        record stands, and the state is the size of every book's hysteresis window)."""
        return await self.session.get(
            ForwardRecord,
            ROW_ID,
            populate_existing=True,
            options=[defer(ForwardRecord.state, raiseload=True)],
        )

    async def state(self) -> dict[str, Any]:
        query = select(ForwardRecord.state).where(ForwardRecord.id == ROW_ID)
        stored: dict[str, Any] = (await self.session.execute(query)).scalar_one()
        return stored

    async def create(self, inception: datetime, last_hour: datetime, state: dict[str, Any]) -> None:
        """The record's first row (LostRace if another transaction created it)."""
        await self._create(inception_at=inception, last_hour=last_hour, state=state)

    async def advance(self, expected: datetime, last_hour: datetime, state: Any) -> datetime:
        """Move the record from `expected` to `last_hour` (LostRace if it is not there); its
        new `updated_at`. `state`: a JSON document, or its `SerializedJSON`."""
        return await self._advance(expected, last_hour=last_hour, state=state)

    async def add(self, model: type[Any], rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            await self.session.execute(insert(model), list(rows))

    async def hours(self) -> Sequence[tuple[str, datetime, float]]:
        """(book, hour, equity), by book then hour."""
        query = select(ForwardHour.book, ForwardHour.at, ForwardHour.equity).order_by(
            ForwardHour.book, ForwardHour.at
        )
        return [(b, at, float(e)) for b, at, e in (await self.session.execute(query)).all()]

    async def days(self) -> Sequence[ForwardDay]:
        query = select(ForwardDay).order_by(ForwardDay.decided_at, ForwardDay.book)
        return (await self.session.scalars(query)).all()

    async def trades(self) -> Sequence[ForwardTrade]:
        query = select(ForwardTrade).order_by(ForwardTrade.at, ForwardTrade.book)
        return (await self.session.scalars(query)).all()


class RecordGaugeReads:
    """Where each record stands, read at scrape time on a connection of its own (`GET
    /metrics`, `app.records.gauges`)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def as_run_last(
        self, strategies: Sequence[str]
    ) -> tuple[datetime, dict[str, float]] | None:
        """The as-run record's last hour marked and each book's equity at it; before its first
        mark, its inception (the first audit row's trading hour) and 1.0 each; None before the
        portfolio's first decision. One lookup by primary key per book."""
        query = (
            select(TrackRecord.last_hour, TrackRecordHour.strategy, TrackRecordHour.equity)
            .outerjoin(
                TrackRecordHour,
                (TrackRecordHour.at == TrackRecord.last_hour)
                & TrackRecordHour.strategy.in_(list(strategies)),
            )
            .where(TrackRecord.id == ROW_ID)
        )
        rows = (await self.connection.execute(query)).all()
        if not rows:
            first = await self.connection.scalar(
                select(PortfolioHistory.occurred_at).order_by(PortfolioHistory.id).limit(1)
            )
            if first is None:
                return None
            floored = first.replace(minute=0, second=0, microsecond=0)
            inception = floored if floored == first else floored + HOUR
            return inception, dict.fromkeys(strategies, 1.0)
        equity = {str(s): float(e) for _, s, e in rows if s is not None}
        return rows[0][0], equity

    async def forward_last(self) -> tuple[datetime, dict[str, float]] | None:
        """The forward record's last hour marked (before its first mark, its inception) and
        each book's equity at it (none before the first mark); None before the record exists."""
        record = (
            await self.connection.execute(
                select(ForwardRecord.inception_at, ForwardRecord.last_hour).where(
                    ForwardRecord.id == ROW_ID
                )
            )
        ).first()
        if record is None:
            return None
        inception, last = record
        if last < inception:
            return inception, {}
        rows = await self.connection.execute(
            select(ForwardHour.book, ForwardHour.equity).where(ForwardHour.at == last)
        )
        return last, {str(book): float(equity) for book, equity in rows.all()}
