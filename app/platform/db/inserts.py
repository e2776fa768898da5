"""Inserts with an `ON CONFLICT` clause, which PostgreSQL and SQLite both offer in their own
dialect's `insert`; and the one such insert that claims a row once across replicas (a job run, a
webhook delivery, an idempotency key)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def dialect_insert(session: AsyncSession, table: Any) -> Any:
    """`INSERT` into `table` (a model or a table) in the session's dialect, so that
    `on_conflict_do_nothing` and `on_conflict_do_update` are there."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


async def insert_unless_taken(session: AsyncSession, model: Any, **values: Any) -> int | None:
    """Insert a row of `model` with `values`: its id, or None when the row is taken already."""
    statement = dialect_insert(session, model).values(**values)
    claimed: int | None = await session.scalar(
        statement.on_conflict_do_nothing().returning(model.id)
    )
    return claimed
