"""The connection pool (PostgreSQL's; SQLite's writer and readers), counting the checkouts that
had to wait for a connection."""

from __future__ import annotations

import time

from sqlalchemy.pool import AsyncAdaptedQueuePool, ConnectionPoolEntry

from app.platform.observability.prometheus import observe_pool_wait


class MeteredQueuePool(AsyncAdaptedQueuePool):
    """SQLAlchemy's asyncio queue pool; a checkout that finds every connection in use (none
    idle, no overflow left) is timed, whether it then gets one or times out."""

    def _do_get(self) -> ConnectionPoolEntry:
        # SQLAlchemy has no public hook before a checkout; `_do_get` is where QueuePool waits.
        if self.checkedin() > 0 or self.overflow() < self._max_overflow:
            return super()._do_get()
        started = time.perf_counter()
        try:
            return super()._do_get()
        finally:
            observe_pool_wait(time.perf_counter() - started)
