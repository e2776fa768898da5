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
