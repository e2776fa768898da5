"""Queries about the system itself: liveness of the database, migration state, config values."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.market.models import Symbol
from app.platform.db.models.system_configuration import SystemConfiguration
from app.portfolio.models import PortfolioMember
from app.scoring.models import ScoringRun


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

    async def has_symbols(self) -> bool:
        """Whether the universe was ever stored."""
        return bool(await self.connection.scalar(select(select(Symbol.id).exists())))

    async def has_scored_run(self) -> bool:
        """Whether some scoring run has scored any symbol."""
        scored = select(ScoringRun.id).where(
            ScoringRun.status == "completed", ScoringRun.scored_count > 0
        )
        return bool(await self.connection.scalar(select(scored.exists())))

    async def config_value(self, key: str, default: Any) -> Any:
        """The value in force of the runtime setting `key`: stored, or `default` (its declared
        one)."""
        stored = await self.connection.scalar(
            select(SystemConfiguration.value).where(SystemConfiguration.key == key)
        )
        return default if stored is None else stored
