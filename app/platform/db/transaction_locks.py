"""A transaction's exclusive hold on one thing (the portfolio, the universe, a caller's queue of
runs) until it ends: PostgreSQL's transaction advisory lock on the thing's key; on SQLite, the
writer's turn, which holds every such thing at once (one writer at a time)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.db.sqlite_writer import take_write_turn

_ADVISORY = text("SELECT pg_advisory_xact_lock(:key)")


async def hold_until_end(session: AsyncSession, key: int) -> None:
    """Wait for, then hold, the lock `key` to the end of `session`'s transaction; taken before
    the reads that decide its writes."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(_ADVISORY, {"key": key})
    else:
        await take_write_turn(session)
