"""Reads of `system_configuration` tunables."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import SystemConfiguration

# Built once: these run on hot paths, and building a statement costs more than running it.
VALUES_OF_KEYS = select(SystemConfiguration.key, SystemConfiguration.value).where(
    SystemConfiguration.key.in_(bindparam("keys", expanding=True))
)


class ConfigRepository:
    """Stored values of `system_configuration` keys."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_many(self, defaults: dict[str, Any]) -> dict[str, Any]:
        """The stored value of each key of `defaults`, or its default when not stored."""
        connection = await self.session.connection()  # Core: no ORM layer for plain columns
        rows = await connection.execute(VALUES_OF_KEYS, {"keys": list(defaults)})
        stored = {key: value for key, value in rows.all() if value is not None}
        return {key: stored.get(key, default) for key, default in defaults.items()}
