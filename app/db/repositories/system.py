"""Queries about the system itself: liveness of the database, migration state, config values."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.core.units import HOUR
from app.db.models import ForwardHour, ForwardRecord, TrackRecord, TrackRecordHour
from app.db.repositories.records import ROW_ID
from app.market.models import Symbol
from app.portfolio.models import PortfolioHistory, PortfolioMember
from app.scoring.models import ScoringRun
from app.settings.models import SystemConfiguration


class SystemRepository:
    """Questions about the system itself on a bare connection (ping, migration, data age)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def ping(self) -> None:
        await self.connection.execute(text("SELECT 1"))

    async def migration_revision(self) -> str | None:
        result = await self.connection.execute(text("SELECT version_num FROM alembic_version"))
        return result.scalar_one_or_none()

    async def latest_market_data_at(self) -> datetime | None:
        return await self.connection.scalar(select(func.max(Symbol.market_data_at)))

    async def portfolio_totals(self) -> tuple[int, float]:
        """Active members and the sum of their weights (percent)."""
        row = (
            await self.connection.execute(
                select(func.count(), func.coalesce(func.sum(PortfolioMember.weight), 0)).where(
                    PortfolioMember.status == "active"
                )
            )
        ).one()
        return int(row[0]), float(row[1])

    async def untradable_members(self) -> int:
        """Active members whose contract is no longer tradable: not Open, or marked delisted
        (the `delisting` alert's condition)."""
        query = (
            select(func.count())
            .select_from(PortfolioMember)
            .join(Symbol, Symbol.id == PortfolioMember.symbol_id)
            .where(
                PortfolioMember.status == "active",
                (Symbol.status != "Open") | Symbol.delisted_at.is_not(None),
            )
        )
        return int(await self.connection.scalar(query) or 0)

    async def track_record_last(
        self, strategies: Sequence[str]
    ) -> tuple[datetime, dict[str, float]] | None:
        """The track record's last hour marked and each book's equity at it; before its first
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

    async def forward_record_last(self) -> tuple[datetime, dict[str, float]] | None:
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

    async def has_symbols(self) -> bool:
        """Whether the universe was ever stored."""
        return bool(await self.connection.scalar(select(select(Symbol.id).exists())))

    async def has_scored_run(self) -> bool:
        """Whether some scoring run has scored any symbol."""
        scored = select(ScoringRun.id).where(
            ScoringRun.status == "completed", ScoringRun.scored_count > 0
        )
        return bool(await self.connection.scalar(select(scored.exists())))

    async def config_value(self, key: str) -> Any:
        return await self.connection.scalar(
            select(SystemConfiguration.value).where(SystemConfiguration.key == key)
        )
