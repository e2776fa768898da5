"""Where each live record stands, read at scrape time on a connection of its own
(`RecordGaugeReads`: `GET /metrics`, `app.records.gauges`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from app.platform.core.units import HOUR
from app.portfolio.models import PortfolioHistory
from app.records.models import ROW_ID, ForwardHour, ForwardRecord, TrackRecord, TrackRecordHour


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
