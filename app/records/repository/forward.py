"""Queries of the forward record, flushes, never commits: its one row (moved by compare-and-set),
its hours, trades and days (`ForwardRepository`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, TypedDict

from sqlalchemy import insert, select
from sqlalchemy.orm import defer

from app.records.models import ROW_ID, ForwardDay, ForwardHour, ForwardRecord, ForwardTrade
from app.records.repository.one_row import OneRowRecordRepository


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
