"""One row inserted unless a unique constraint already holds one like it: the claim of a job
run, a webhook delivery or an idempotency key, taken once across replicas."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


async def insert_unless_taken(session: AsyncSession, model: Any, **values: Any) -> int | None:
    """Insert a row of `model` with `values`: its id, or None when the row is taken already."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(model).values(**values).on_conflict_do_nothing().returning(model.id)
    claimed: int | None = await session.scalar(statement)
    return claimed
