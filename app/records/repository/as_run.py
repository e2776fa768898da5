"""Queries of the as-run record, flushes, never commits: its one row, hours and decisions, and the
audit rows, candles and settlements it reads (`AsRunRepository`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypedDict

from sqlalchemy import Integer, String, Text, func, insert, select, text

from app.market.models import Candle, FundingSettlement, Symbol
from app.platform.core.units import HOUR_MIN
from app.platform.db.types import UTCDateTime
from app.portfolio.models import PortfolioHistory
from app.portfolio.repository import compact_members_sql
from app.records.models import ROW_ID, TrackRecord, TrackRecordDecision, TrackRecordHour
from app.records.repository.one_row import OneRowRecordRepository


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
