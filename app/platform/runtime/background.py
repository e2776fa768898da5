"""The start/stop lifecycle of one long-running asyncio task owned by a lifespan object, and the
one way a task is stopped: cancelled until it has ended."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

# Longer than a task's own cleanup after a cancellation (the change listener closes its
# connection within a second), which a second cancellation would cut short.
CANCEL_AGAIN_S = 2.0


async def cancel_and_wait(task: asyncio.Task[Any]) -> None:
    """Cancel `task` and wait until it has ended, cancelling it again every `CANCEL_AGAIN_S`
    while it runs on; an exception it ended on is raised, its cancellation is not.

    A cancellation can be lost on its way out of a task: SQLAlchemy's pool swallows one that
    arrives while it force-closes an aiosqlite connection ("connection was force-closed", at
    DEBUG; sqlalchemy#13772), and the task goes back to waiting for work, for ever. Seen stopping
    the ticker follower on SQLite mid-resync: 4 stops of 51 hung on a loaded machine. For a loop
    that waits for work; a task whose cancellation leads to a write of its own end (a run) is
    cancelled once."""
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=CANCEL_AGAIN_S)
    if not task.cancelled():
        task.result()


class BackgroundTask:
    """Runs `body()` as a named task: `start` is idempotent while it runs, `stop` cancels it
    and waits for it to finish. `ready` is set by the body (`mark_ready`) once it has taken its
    starting point, so callers and tests can wait for that instead of sleeping."""

    def __init__(self, name: str, body: Callable[[], Coroutine[Any, Any, None]]) -> None:
        self.name = name
        self.body = body
        self.ready = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if not self.running:
            self.ready.clear()
            self._task = asyncio.create_task(self.body(), name=self.name)

    def mark_ready(self) -> None:
        self.ready.set()

    async def wait_ready(self, timeout_s: float) -> None:
        """Wait until the body has taken its starting point (TimeoutError after `timeout_s`)."""
        await asyncio.wait_for(self.ready.wait(), timeout_s)

    async def stop(self) -> None:
        if self._task is not None:
            await cancel_and_wait(self._task)
            self._task = None
        self.ready.clear()
