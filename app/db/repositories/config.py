"""Reads of `system_configuration` tunables."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import SystemConfiguration


class ConfigRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, key: str, default: Any) -> Any:
        value = await self.session.scalar(
            select(SystemConfiguration.value).where(SystemConfiguration.key == key)
        )
        return default if value is None else value

    async def get_many(self, defaults: dict[str, Any]) -> dict[str, Any]:
        """The stored value of each key of `defaults`, or its default when not stored."""
        rows = await self.session.execute(
            select(SystemConfiguration.key, SystemConfiguration.value).where(
                SystemConfiguration.key.in_(defaults)
            )
        )
        stored = {key: value for key, value in rows.all() if value is not None}
        return {key: stored.get(key, default) for key, default in defaults.items()}
