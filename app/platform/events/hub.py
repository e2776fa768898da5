"""One outbox reader per process, fanning the new events out to every open event stream.

While any stream is open the hub reads the rows after its cursor once per wake-up (PostgreSQL's
NOTIFY of an insert, a commit of this process, else every `poll_s`) and puts them on each
stream's bounded queue; with none open it reads nothing. A stream that falls `stream_buffer`
events behind is ended (its queue emptied, the reason put last) rather than blocking the others:
it reconnects with its `Last-Event-ID` and reads what it missed from the outbox.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.db.models import EventOutbox
from app.platform.db.repositories.events import EventRepository
from app.platform.events.wakeup import EventSignal
from app.platform.observability.metrics import observe_event_streams, observe_outbox_read
from app.platform.runtime.background import BackgroundTask

logger = logging.getLogger(__name__)

READ_LIMIT = 500


@dataclass(frozen=True)
class StreamEnd:
    """Why a stream ends: sent as its final `error` event (a problem document)."""

    slug: str
    title: str
    status: int
    detail: str


OVERFLOWED = StreamEnd(
    "stream-overflowed",
    "The stream fell too far behind",
    503,
    "This client read events more slowly than they came; reconnect with Last-Event-ID.",
)
SHUTTING_DOWN = StreamEnd(
    "shutting-down",
    "The service is shutting down",
    503,
    "This replica is stopping; reconnect with Last-Event-ID.",
)


class Subscription:
    """One open stream's queue: events in id order, then possibly a `StreamEnd`."""

    def __init__(self, size: int) -> None:
        self.queue: asyncio.Queue[EventOutbox | StreamEnd] = asyncio.Queue(size + 1)
        self.size = size
        self.ended = asyncio.Event()

    def offer(self, events: Sequence[EventOutbox]) -> bool:
        """Queue `events`; False (and nothing queued) when that would pass the bound."""
        if self.queue.qsize() + len(events) > self.size:
            return False
        for event in events:
            self.queue.put_nowait(event)
        return True

    def end(self, reason: StreamEnd) -> None:
        """Drop what is queued and make `reason` the next (and last) item."""
        if self.ended.is_set():
            return
        self.ended.set()
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(reason)


class EventHub:
    """Reads the outbox once for every stream of this process (see the module docstring)."""

    def __init__(
        self,
        open_session: Callable[[], AbstractAsyncContextManager[AsyncSession]],
        signal: EventSignal,
        *,
        poll_s: float,
        stream_buffer: int,
    ) -> None:
        self.open_session = open_session
        self.signal = signal
        self.poll_s = poll_s
        self.stream_buffer = stream_buffer
        # A read never brings more than a stream may hold, so one that keeps up never overflows.
        self.read_limit = min(READ_LIMIT, stream_buffer)
        self.task = BackgroundTask("event-hub", self._run)
        self.live = asyncio.Event()
        """Set while the hub follows the outbox from a cursor taken with a stream open."""
        self.reads = 0
        """Outbox reads so far (each serves every open stream)."""
        self.last_id = 0
        self._subscribers: set[Subscription] = set()
        self._wanted = asyncio.Event()
        self._closed: StreamEnd | None = None

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    def start(self) -> None:
        self.task.start()

    async def stop(self) -> None:
        self.close(SHUTTING_DOWN)
        await self.task.stop()
        self.live.clear()

    def subscribe(self) -> Subscription:
        """A new stream's queue; wait for `live` before taking the stream's starting point."""
        subscription = Subscription(self.stream_buffer)
        if self._closed is not None:
            subscription.end(self._closed)
            return subscription
        self._subscribers.add(subscription)
        observe_event_streams(len(self._subscribers))
        self._wanted.set()
        return subscription

    async def wait_live(self, subscription: Subscription, timeout_s: float) -> bool:
        """Wait until the hub follows the outbox for `subscription`: False when it is ended
        first (the process is stopping) or `timeout_s` passed (the outbox cannot be read)."""
        live = asyncio.ensure_future(self.live.wait())
        ended = asyncio.ensure_future(subscription.ended.wait())
        try:
            await asyncio.wait(
                {live, ended}, timeout=timeout_s, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            live.cancel()
            ended.cancel()
        return self.live.is_set() and not subscription.ended.is_set()

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscribers.discard(subscription)
        observe_event_streams(len(self._subscribers))

    def close(self, reason: StreamEnd) -> None:
        """End every open stream with `reason`, and every one opened from now on."""
        self._closed = reason
        for subscription in list(self._subscribers):
            subscription.end(reason)
            self.unsubscribe(subscription)

    async def _run(self) -> None:
        self.task.mark_ready()
        while True:
            if not self._subscribers:  # nobody to read for: read nothing
                self.live.clear()
                self._wanted.clear()
                await self._wanted.wait()
            try:
                if not self.live.is_set():
                    async with self.open_session() as session:
                        self.last_id = await EventRepository(session).latest_id()
                    self.live.set()
                woken = self.signal.ticket()  # a wake-up during the read is not lost
                events = await self._read()
                self._fan_out(events)
                if len(events) < self.read_limit:
                    await self.signal.wait(self.poll_s, ticket=woken)
            except asyncio.CancelledError:
                raise
            except Exception:  # the database blinked: the streams wait, the cursor stays
                logger.warning("events: outbox not read; retrying", exc_info=True)
                await asyncio.sleep(self.poll_s)

    async def _read(self) -> list[EventOutbox]:
        async with self.open_session() as session:
            events = list(await EventRepository(session).after(self.last_id, self.read_limit))
        self.reads += 1
        observe_outbox_read()
        if events:
            self.last_id = events[-1].id
        return events

    def _fan_out(self, events: Sequence[EventOutbox]) -> None:
        if not events:
            return
        for subscription in list(self._subscribers):
            if not subscription.offer(events):
                logger.warning("events: a stream fell %d events behind; ended", self.stream_buffer)
                subscription.end(OVERFLOWED)
                self.unsubscribe(subscription)
