"""One receiver's queue: the claimed deliveries waiting for one URL, sent in order by a task of
their own, so a dead receiver holds up only its own queue. Critical alerts that would be
dropped wait in the URL's digest instead, sent at most once per `coalesce_s` as one POST."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections import deque
from collections.abc import Sequence
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.platform.core.clock import utcnow
from app.platform.core.environment_sections import WebhookEnvironment
from app.platform.db.repositories.deliveries import WebhookRepository
from app.platform.observability.prometheus import observe_webhook_delivery, observe_webhook_lag
from app.platform.runtime.background import cancel_and_wait
from app.platform.webhooks.send import Delivery, Outcome, WebhookSender, message_id

logger = logging.getLogger(__name__)


def receiver_label(url: str) -> str:
    """What logs and metrics name a receiver by: host, port and the first 6 hex digits of the
    URL's SHA-256 (two URLs on one host stay apart), never the path or query (a receiver's
    token may be there)."""
    parts = urlsplit(url)
    host = f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)
    return f"{host}#{hashlib.sha256(url.encode()).hexdigest()[:6]}"


class ReceiverQueue:
    """The deliveries one dispatcher holds for one URL: queued, in flight, or in the digest."""

    def __init__(
        self,
        url: str,
        environment: WebhookEnvironment,
        sessionmaker: async_sessionmaker[AsyncSession],
        sender: WebhookSender,
    ) -> None:
        self.url = url
        self.receiver = receiver_label(url)
        self.environment = environment
        self.sessionmaker = sessionmaker
        self.sender = sender
        self.queued: deque[Delivery] = deque()
        self.digest: list[Delivery] = []
        self.outstanding: dict[int, Delivery] = {}  # by delivery id: queued, digest, in flight
        self._wake = asyncio.Event()
        self._last_digest = float("-inf")
        self._task: asyncio.Task[None] | None = None

    def room(self) -> int:
        """How many more deliveries the queue takes before it drops (not counting the digest)."""
        return max(0, self.environment.queue_max - len(self.queued))

    def put(self, delivery: Delivery) -> None:
        self.queued.append(delivery)
        self.outstanding[delivery.delivery_id] = delivery
        self._wake.set()

    def coalesce(self, delivery: Delivery) -> None:
        """Hold a critical alert for the next digest instead of dropping it."""
        self.digest.append(delivery)
        self.outstanding[delivery.delivery_id] = delivery
        self._wake.set()

    def observe_lag(self) -> None:
        oldest = min((d.at for d in self.outstanding.values()), default=None)
        lag = 0.0 if oldest is None else max(0.0, (utcnow() - oldest).total_seconds())
        observe_webhook_lag(self.receiver, lag)

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name=f"webhooks:{self.receiver}")

    async def stop(self) -> None:
        """Stop sending; what is still held stays claimed (the dispatcher hands it back)."""
        if self._task is not None:
            await cancel_and_wait(self._task)
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self._next()
            except asyncio.CancelledError:
                raise
            except Exception:  # never end the queue: its rows stay claimed until sent
                logger.exception("webhooks: the queue of %s failed; retrying", self.receiver)
                await asyncio.sleep(1.0)

    async def _next(self) -> None:
        self._wake.clear()
        due_in = self._last_digest + self.environment.coalesce_s - time.monotonic()
        # Events go out in order: a digest waits for the queued deliveries older than it.
        older = bool(self.queued) and (
            not self.digest or self.queued[0].event_id < self.digest[0].event_id
        )
        if self.queued and (older or due_in > 0):
            await self.send([self.queued.popleft()])
        elif self.digest and due_in <= 0:
            batch, self.digest = self.digest, []
            self._last_digest = time.monotonic()
            await self.send(batch)
        else:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), due_in if self.digest else None)

    async def send(self, batch: Sequence[Delivery]) -> Outcome:
        """POST one delivery or a digest, record every row's outcome, count and log it."""
        for delivery in batch:
            self.outstanding.setdefault(delivery.delivery_id, delivery)
        outcome = await self.sender.send(self.url, batch)
        await self._record(batch, outcome)
        for delivery in batch:
            self.outstanding.pop(delivery.delivery_id, None)
        newest = batch[-1]
        for delivery in batch:
            carried = delivery is not newest and outcome.status == "delivered"
            observe_webhook_delivery(delivery.kind, "coalesced" if carried else outcome.status)
        if outcome.status != "delivered":
            logger.warning(
                "webhooks: %s to %s failed after %d attempt(s): %s (%d event(s), webhook-id %s)",
                newest.kind,
                self.receiver,
                outcome.attempts,
                outcome.error,
                len(batch),
                message_id(newest.event_id, newest.delivery_id),
            )
        self.observe_lag()
        return outcome

    async def _record(self, batch: Sequence[Delivery], outcome: Outcome) -> None:
        """Store the outcome, retrying while the database is away (the rows stay claimed and
        heartbeated meanwhile, so nobody sends them again)."""
        while True:
            try:
                async with self.sessionmaker() as session:
                    deliveries = WebhookRepository(session)
                    for delivery in batch:
                        await deliveries.finish(
                            delivery.delivery_id,
                            status=outcome.status,
                            attempts=outcome.attempts,
                            response_status=outcome.response_status,
                            error=outcome.error,
                            now=utcnow(),
                        )
                    await session.commit()
                return
            except Exception:
                logger.warning("webhooks: outcome not recorded; retrying", exc_info=True)
                await asyncio.sleep(1.0)


def log_dropped(delivery: Delivery, receiver: str, reason: str) -> None:
    """A dropped delivery: one WARNING line and its count."""
    observe_webhook_delivery(delivery.kind, "dropped")
    logger.warning(
        "webhooks: %s event %d to %s dropped: %s",
        delivery.kind,
        delivery.event_id,
        receiver,
        reason,
    )
