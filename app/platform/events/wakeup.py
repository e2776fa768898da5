"""The in-process wake-up of everything that follows the event outbox."""

from __future__ import annotations

import asyncio
from contextlib import suppress


class EventSignal:
    """Wakes every waiter of this process at once (a NOTIFY, or a commit that wrote events)."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    def ticket(self) -> asyncio.Event:
        """Taken before a read: a `wait` with it returns at once if a notify came since."""
        return self._event

    async def wait(self, timeout_s: float, ticket: asyncio.Event | None = None) -> None:
        event = self._event if ticket is None else ticket
        with suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout=timeout_s)
