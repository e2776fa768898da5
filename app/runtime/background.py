"""The start/stop lifecycle of one long-running asyncio task owned by a lifespan object."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from typing import Any


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
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self.ready.clear()
