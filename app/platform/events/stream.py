"""The live event stream: typed events from the outbox as Server-Sent Events, resumable.

Any replica serves any client: events are read from the outbox, by one reader per process
(`EventHub`) that every open stream of the process follows. A reconnecting stream first reads
what it missed itself, then takes the hub's events, skipping any it has sent. Every
`heartbeat_s` a stream checks that its API key is still valid (a revoked key ends it with a
final `error` event) and, if it sent nothing since, sends a comment to keep the connection open.
A stream resumed from an id past the newest event (the outbox was restored from a backup, or
another database answers) is sent a `reload` event at once, with the newest id as its own: what
the client holds may be of events that no longer exist, so it reads the state afresh, and the
stream goes on from there (resuming from 37, not 1037, after a drop).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.core.environment import Environment
from app.platform.core.errors import PROBLEM_TYPE_PREFIX
from app.platform.db.models import EventOutbox
from app.platform.db.repositories.outbox import EventRepository
from app.platform.events.hub import READ_LIMIT, EventHub, StreamEnd

__all__ = ["EventStreamService", "format_end", "format_event", "format_reload"]

Item = EventOutbox | StreamEnd | None

KEY_REVOKED = StreamEnd(
    "api-key-revoked",
    "The API key was revoked",
    401,
    "The API key of this stream is no longer valid.",
)
UNAVAILABLE = StreamEnd(
    "database-unavailable",
    "Database unavailable",
    503,
    "The event outbox cannot be read now; reconnect with Last-Event-ID.",
)


def format_event(event: EventOutbox) -> str:
    data = json.dumps(
        {"id": event.id, "at": event.created_at.isoformat(), **event.payload},
        separators=(",", ":"),
    )
    return f"id: {event.id}\nevent: {event.kind}\ndata: {data}\n\n"


def format_reload(newest: int, resumed_from: int) -> str:
    """The `reload` event of a stream resumed past the newest event: the newest id as its own
    (a client resumes after it from now on), and why, in words."""
    data = {
        "newest_id": newest,
        "resumed_from": resumed_from,
        "detail": f"Last-Event-ID {resumed_from} is past the newest event, {newest} (the events "
        "were restored or reset): read the state afresh; the stream goes on from the newest.",
    }
    return f"id: {newest}\nevent: reload\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


def format_end(end: StreamEnd) -> str:
    """The final `error` event: a problem document, with no id (resuming skips nothing)."""
    problem = {
        "type": PROBLEM_TYPE_PREFIX + end.slug,
        "title": end.title,
        "status": end.status,
        "detail": end.detail,
    }
    return f"event: error\ndata: {json.dumps(problem, separators=(',', ':'))}\n\n"


class EventStreamService:
    """The event streams of this replica, each following its `EventHub`."""

    def __init__(
        self,
        open_session: Callable[[], AbstractAsyncContextManager[AsyncSession]],
        hub: EventHub,
        *,
        heartbeat_s: float,
        retry_ms: int,
        start_timeout_s: float,
    ) -> None:
        self.open_session = open_session
        self.hub = hub
        self.heartbeat_s = heartbeat_s
        self.retry_ms = retry_ms
        self.start_timeout_s = start_timeout_s

    async def stream(
        self,
        *,
        last_event_id: int | None,
        is_disconnected: Callable[[], Awaitable[bool]],
        still_authorised: Callable[[], Awaitable[bool]] | None,
    ) -> AsyncIterator[str]:
        """SSE text: the events after `last_event_id` (all new ones when None), then live ones."""
        subscription = self.hub.subscribe()
        try:
            if not await self.hub.wait_live(subscription, self.start_timeout_s):
                ended = subscription.queue.get_nowait() if subscription.ended.is_set() else None
                yield format_end(ended if isinstance(ended, StreamEnd) else UNAVAILABLE)
                return
            # From here the hub queues every event it reads: the missed ones come from the outbox.
            reload = None
            async with self.open_session() as session:
                events = EventRepository(session)
                if last_event_id is None:
                    last, missed = await events.latest_id(), []
                else:
                    last, missed = (
                        last_event_id,
                        list(await events.after(last_event_id, READ_LIMIT)),
                    )
                    if not missed and (newest := await events.latest_id()) < last_event_id:
                        last, reload = newest, format_reload(newest, last_event_id)
            # The retry hint goes out only once the starting point is taken: a client that has
            # read it receives every event committed afterwards.
            yield f"retry: {self.retry_ms}\n\n"
            if reload is not None:
                yield reload
            while missed:
                for event in missed:
                    yield format_event(event)
                    last = event.id
                if len(missed) < READ_LIMIT:
                    break
                async with self.open_session() as session:
                    missed = list(await EventRepository(session).after(last, READ_LIMIT))
            loop = asyncio.get_running_loop()
            next_beat = loop.time() + self.heartbeat_s
            sent = False
            while True:
                item = await _next(subscription.queue, next_beat - loop.time())
                if isinstance(item, StreamEnd):
                    yield format_end(item)
                    return
                if item is not None:
                    if item.id > last:  # already sent from the outbox otherwise
                        yield format_event(item)
                        last, sent = item.id, True
                    continue
                if await is_disconnected():
                    return
                if still_authorised is not None and not await still_authorised():
                    yield format_end(KEY_REVOKED)
                    return
                if not sent:
                    yield ": heartbeat\n\n"
                next_beat, sent = loop.time() + self.heartbeat_s, False
        finally:
            self.hub.unsubscribe(subscription)


async def _next(queue: asyncio.Queue[EventOutbox | StreamEnd], timeout_s: float) -> Item:
    """The next queued item, or None once `timeout_s` passed (at once when it has)."""
    if timeout_s <= 0:
        return None
    if not queue.empty():
        return queue.get_nowait()
    try:
        return await asyncio.wait_for(queue.get(), timeout_s)
    except TimeoutError:
        return None


class StreamContext(Protocol):
    """What an event stream takes from the app's state."""

    @property
    def environment(self) -> Environment: ...

    @property
    def event_hub(self) -> EventHub: ...


def event_streams(
    state: StreamContext, open_session: Callable[[], AbstractAsyncContextManager[AsyncSession]]
) -> EventStreamService:
    """A stream outlives any transaction: it opens its sessions itself."""
    events = state.environment.events
    return EventStreamService(
        open_session,
        state.event_hub,
        heartbeat_s=events.heartbeat_s,
        retry_ms=int(events.poll_s * 1000),
        start_timeout_s=state.environment.database.connect_timeout_s,
    )
