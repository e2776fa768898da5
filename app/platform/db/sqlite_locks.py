"""SQLite's one write lock: taken where a transaction means to write, and how long each holds it.

SQLite lets one connection write at a time. A transaction that starts with a write waits for the
lock (the busy timeout, `database.sqlite_busy_timeout_s`); one that has read first is refused at
once ("database is locked", no wait) when it then writes while another holds the lock or has
committed since its read. So a unit of work that reads and then writes takes the lock first
(`take_write_lock`), and the work that holds it is kept short: the holds are measured here
(`follow_write_locks`), and one longer than `LONG_HOLD_S` is logged with its first write.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

logger = logging.getLogger(__name__)

LONG_HOLD_S = 1.0
"""A write transaction holding the lock longer than this is logged (every other writer, a
person's request included, waits that long)."""

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")
# A write that changes nothing, but takes the lock as any write does (SQLite opens the write
# transaction before it looks at a row).
_TAKE = text("UPDATE system_configuration SET key = key WHERE 0 = 1")

_SINCE, _FIRST = "sqlite_write_lock_since", "sqlite_write_lock_first"


@dataclass(frozen=True)
class WriteLockHold:
    """One transaction's hold of the write lock: how long, and the statement that took it."""

    seconds: float
    first_write: str
    committed: bool


async def take_write_lock(session: AsyncSession) -> None:
    """Take SQLite's write lock for `session`'s transaction now, before its reads (as the first
    statement, it waits up to the busy timeout for a writer to finish); nothing on PostgreSQL,
    whose writers lock rows, not the database."""
    if session.get_bind().dialect.name == "sqlite":
        await session.execute(_TAKE)


async def release_write_lock(session: AsyncSession) -> None:
    """SQLite: commit what `session`'s long work has written so far, so that the lock is held
    for one step, not for the whole work (and the next statement reads a fresh snapshot, so a
    later first write waits for the lock instead of being refused); nothing on PostgreSQL,
    whose long work stays one transaction. For steps whose writes stand on their own (stored
    market data): what follows failing does not undo them."""
    if session.get_bind().dialect.name == "sqlite":
        await session.commit()


def follow_write_locks(
    engine: AsyncEngine, observe: Callable[[WriteLockHold], None] | None = None
) -> None:
    """Time every hold of the write lock on `engine` (SQLite) from a transaction's first write to
    its end: `observe` hears each one; without it (the engine's own follower), one over
    `LONG_HOLD_S` is logged."""
    since_key, first_key = (_SINCE, id(observe)), (_FIRST, id(observe))  # one per follower

    @event.listens_for(engine.sync_engine, "after_cursor_execute")
    def taken(
        conn: Connection, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
    ) -> None:  # after: the wait for the lock is the waiter's, not the holder's
        if since_key not in conn.info and conn.in_transaction() and _is_write(statement):
            conn.info[since_key] = time.perf_counter()
            conn.info[first_key] = " ".join(statement.split())[:120]

    def ended(conn: Connection, committed: bool) -> None:
        since = conn.info.pop(since_key, None)
        first = conn.info.pop(first_key, "")
        if since is None:
            return
        hold = WriteLockHold(time.perf_counter() - since, first, committed)
        if observe is None and hold.seconds > LONG_HOLD_S:
            logger.warning(
                "sqlite: a transaction held the write lock for %.2f s (its first write: %s)",
                hold.seconds,
                first,
            )
        if observe is not None:
            observe(hold)

    @event.listens_for(engine.sync_engine, "commit")
    def commit(conn: Connection) -> None:
        ended(conn, True)

    @event.listens_for(engine.sync_engine, "rollback")
    def rollback(conn: Connection) -> None:
        ended(conn, False)


def _is_write(statement: str) -> bool:
    return statement.lstrip()[:8].upper().startswith(WRITES)
