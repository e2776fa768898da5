"""The runtime settings operators stored: reads, edits and the record of edits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.db.models.system_configuration import ConfigurationChange, SystemConfiguration

# Built once: these run on hot paths, and building a statement costs more than running it.
VALUES_OF_KEYS = select(SystemConfiguration.key, SystemConfiguration.value).where(
    SystemConfiguration.key.in_(bindparam("keys", expanding=True))
)


class ConfigRepository:
    """Stored values of `system_configuration` keys and their changes."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_many(self, defaults: dict[str, Any]) -> dict[str, Any]:
        """The stored value of each key of `defaults`, or its default when not stored."""
        connection = await self.session.connection()  # Core: no ORM layer for plain columns
        rows = await connection.execute(VALUES_OF_KEYS, {"keys": list(defaults)})
        stored = {key: value for key, value in rows.all() if value is not None}
        return {key: stored.get(key, default) for key, default in defaults.items()}

    async def all_values(self) -> dict[str, Any]:
        """Every stored key's value."""
        rows = await self.session.execute(
            select(SystemConfiguration.key, SystemConfiguration.value)
        )
        return {key: value for key, value in rows.all()}

    async def lock_all(self) -> dict[str, Any]:
        """Every stored key's value, its row locked for this transaction (in key order, so two
        writers never wait on each other crosswise)."""
        rows = await self.session.execute(
            select(SystemConfiguration.key, SystemConfiguration.value)
            .order_by(SystemConfiguration.key)
            .with_for_update()
        )
        return {key: value for key, value in rows.all()}

    async def set_value(
        self, key: str, value: Any, *, description: str, actor: str, now: datetime
    ) -> None:
        """Store `value` under `key` (the row is created when it was missing)."""
        row = await self.session.get(SystemConfiguration, key)
        if row is None:
            row = SystemConfiguration(key=key, description=description)
            self.session.add(row)
        row.value = value
        row.updated_at = now
        row.updated_by = actor
        await self.session.flush()

    async def record_change(self, change: ConfigurationChange) -> ConfigurationChange:
        self.session.add(change)
        await self.session.flush()
        return change

    async def changes(self, limit: int) -> Sequence[ConfigurationChange]:
        """The newest `limit` recorded changes, newest first."""
        query = select(ConfigurationChange).order_by(ConfigurationChange.id.desc()).limit(limit)
        return (await self.session.scalars(query)).all()
