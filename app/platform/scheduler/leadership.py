"""Leadership among replicas: a session-level PostgreSQL advisory lock held on a dedicated
connection (not from the pool, never recycled). Whoever holds it runs the jobs; when its process
dies the connection drops, PostgreSQL releases the lock and another replica takes it at its
next tick. It only saves the others work: the job ledger is what makes runs exactly once.
On SQLite (one process) it always leads, and asyncpg is never imported (some 3 MB, issue 84)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from app.platform.db.engine import asyncpg_dsn

if TYPE_CHECKING:
    import asyncpg

logger = logging.getLogger(__name__)

SCHEDULER_LOCK_KEY = 0x4D594A4F4253  # "MYJOBS"


class Leadership:
    def __init__(self, database_url: str, *, connect_timeout_s: float = 5.0) -> None:
        self.enabled = not database_url.startswith("sqlite")  # SQLite: one process
        self.dsn = asyncpg_dsn(database_url)
        self.connect_timeout_s = connect_timeout_s
        self._connection: asyncpg.Connection | None = None
        self.held = False
        self._turn = asyncio.Lock()  # one connection: the jobs' loops ask one at a time

    async def check(self) -> bool:
        """Re-checked before every tick: still holding the lock, or newly acquired."""
        if not self.enabled:
            return True
        async with self._turn:
            return await self._check()

    async def _check(self) -> bool:
        import asyncpg

        try:
            if self._connection is None or self._connection.is_closed():
                self.held = False
                self._connection = await asyncpg.connect(self.dsn, timeout=self.connect_timeout_s)
            if self.held:
                await self._connection.execute("SELECT 1", timeout=self.connect_timeout_s)
            else:
                self.held = bool(
                    await self._connection.fetchval(
                        "SELECT pg_try_advisory_lock($1)", SCHEDULER_LOCK_KEY
                    )
                )
                if self.held:
                    logger.info("scheduler: this replica leads")
        except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
            logger.warning("scheduler: leadership check failed (%s)", exc.__class__.__name__)
            await self.release()
        return self.held

    async def release(self) -> None:
        self.held = False
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await self._connection.close(timeout=1.0)
            self._connection = None
