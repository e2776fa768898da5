"""Listens to the database's change notifications (PostgreSQL LISTEN) on a dedicated connection.

Migrations 0005 and 0012 make every committed change to the tables a cached read shows send
`NOTIFY mysymbols_changes`. While listening, a replica can trust its read cache without asking
the database; whenever the connection is down it says so, and readers fall back to checking.
Each channel's callback is given the notification's payload (the table, for CHANGES), or None
on (re)connecting: whatever happened while nobody listened. A service on SQLite has no listener,
and never imports asyncpg (some 3 MB, issue 84).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from app.platform.db.engine import asyncpg_dsn
from app.platform.runtime.background import BackgroundTask
from app.platform.runtime.backoff import backoff_delay

logger = logging.getLogger(__name__)
RECONNECT_BASE_S = 0.5

CHANGES = "mysymbols_changes"  # migrations 0005, 0012: anything a cached read shows
EVENTS = "mysymbols_events"  # migration 0006: a new row in the event outbox


class ChangeListener:
    def __init__(
        self,
        database_url: str,
        *,
        channels: dict[str, Callable[[str | None], None]],
        on_listening: Callable[[bool], None],
        connect_timeout_s: float = 5.0,
        reconnect_max_s: float = 30.0,
    ) -> None:
        self.dsn = asyncpg_dsn(database_url)
        self.channels = channels
        self.on_listening = on_listening
        self.connect_timeout_s = connect_timeout_s
        self.reconnect_max_s = reconnect_max_s
        self._task = BackgroundTask("db-change-listener", self._run)

    def start(self) -> None:
        self._task.start()

    async def stop(self) -> None:
        await self._task.stop()
        self.on_listening(False)

    async def _run(self) -> None:
        import asyncpg

        failures = 0
        while True:
            try:
                await self._listen()
                failures = 0
            except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
                failures += 1
                logger.warning("change listener: %s (failure %d)", exc.__class__.__name__, failures)
            self.on_listening(False)
            await asyncio.sleep(
                backoff_delay(failures, base_s=RECONNECT_BASE_S, max_s=self.reconnect_max_s)
            )

    async def _listen(self) -> None:
        import asyncpg

        connection = await asyncpg.connect(self.dsn, timeout=self.connect_timeout_s)
        lost = asyncio.Event()
        try:
            connection.add_termination_listener(lambda _: lost.set())
            for channel, callback in self.channels.items():
                await connection.add_listener(channel, _payload_to(callback))
                callback(None)  # whatever happened while we were not listening
            self.on_listening(True)
            self._task.mark_ready()
            while not lost.is_set():
                # A silent server is noticed by this probe, not only by a closed socket.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(lost.wait(), timeout=10.0)
                if not lost.is_set():
                    await connection.execute("SELECT 1", timeout=self.connect_timeout_s)
        finally:
            self.on_listening(False)
            with contextlib.suppress(Exception):
                await connection.close(timeout=1.0)


def _payload_to(callback: Callable[[str | None], None]) -> Callable[..., None]:
    def listener(_connection: object, _pid: int, _channel: str, payload: str) -> None:
        callback(payload)

    return listener
