"""The live event stream: typed events from the outbox as Server-Sent Events, resumable.

Any replica serves any client: events are read from the outbox, and a replica wakes its
streams when PostgreSQL notifies an insert (or when its own request commits one), else every
`poll_s`. Comments keep idle connections alive.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, suppress

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import EventOutbox
from app.db.repositories.events import EventRepository


class EventSignal:
    """Wakes every waiting stream of this process at once."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, timeout_s: float) -> None:
        event = self._event
        with suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout=timeout_s)


def format_event(event: EventOutbox) -> str:
    data = json.dumps(
        {"id": event.id, "at": event.created_at.isoformat(), **event.payload},
        separators=(",", ":"),
    )
    return f"id: {event.id}\nevent: {event.kind}\ndata: {data}\n\n"


async def stream_events(
    open_session: Callable[[], AbstractAsyncContextManager[AsyncSession]],
    signal: EventSignal,
    *,
    last_event_id: int | None,
    is_disconnected: Callable[[], Awaitable[bool]],
    heartbeat_s: float,
    poll_s: float,
) -> AsyncIterator[str]:
    """SSE text: the events after `last_event_id` (all new ones when None), then live ones."""
    async with open_session() as session:
        last = (
            await EventRepository(session).latest_id() if last_event_id is None else last_event_id
        )
    # The retry hint goes out only once the starting point is taken: a client that has read it
    # receives every event committed afterwards.
    yield f"retry: {int(poll_s * 1000)}\n\n"
    quiet_since = asyncio.get_running_loop().time()
    while True:
        if await is_disconnected():
            return
        async with open_session() as session:
            events = list(await EventRepository(session).after(last))
        for event in events:
            yield format_event(event)
            last = event.id
        now = asyncio.get_running_loop().time()
        if events:
            quiet_since = now
        elif now - quiet_since >= heartbeat_s:
            yield ": heartbeat\n\n"
            quiet_since = now
        if not events:
            until_heartbeat = heartbeat_s - (asyncio.get_running_loop().time() - quiet_since)
            await signal.wait(max(min(poll_s, until_heartbeat), 0.0))
