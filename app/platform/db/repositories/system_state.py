"""Queries about the system itself: liveness of the database, migration state, config values
(each domain asks its own questions on a bare connection in its repository)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.platform.db.models.system_configuration import SystemConfiguration


class SystemRepository:
    """Questions about the system itself on a bare connection (ping, migration, settings)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def ping(self) -> None:
        await self.connection.execute(text("SELECT 1"))

    async def migration_revision(self) -> str | None:
        result = await self.connection.execute(text("SELECT version_num FROM alembic_version"))
        return result.scalar_one_or_none()

    async def config_value(self, key: str, default: Any) -> Any:
        """The value in force of the runtime setting `key`: stored, or `default` (its declared
        one)."""
        stored = await self.connection.scalar(
            select(SystemConfiguration.value).where(SystemConfiguration.key == key)
        )
        return default if stored is None else stored
