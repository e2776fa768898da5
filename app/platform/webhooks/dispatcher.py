"""Webhooks: alerts and portfolio changes POSTed as signed JSON to the configured URLs.

Each replica follows the event outbox and claims each delivery (event, URL) in the database,
so one replica sends it; a claimed delivery joins its URL's own queue (`webhook_queue`), so a
dead receiver delays nobody else. The claimant heartbeats its `sending` rows; a live replica
re-claims the rows of one whose heartbeat stopped for `claim_ttl_s`, and a stopping replica
hands its rows back at once: every delivery is sent at least once (receivers de-duplicate on
`webhook-id`). Past `rate_limit` per `rate_window_s` for a kind and URL, or past the URL's
`queue_max`, a delivery is dropped (recorded as rate_limited, logged, counted), except a
critical alert, which is coalesced into the URL's next digest. Signing and sending:
`webhook_send`.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Sequence
from datetime import timedelta

import aiohttp
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.platform.core.clock import utcnow
from app.platform.core.environment_sections import WebhookEnvironment
from app.platform.db.models import EventOutbox
from app.platform.db.repositories.deliveries import WebhookRepository
from app.platform.db.repositories.outbox import EventRepository
from app.platform.events.wakeup import EventSignal
from app.platform.runtime.background import BackgroundTask
from app.platform.webhooks.queue import ReceiverQueue, log_dropped
from app.platform.webhooks.send import Delivery, WebhookSender

logger = logging.getLogger(__name__)


def delivery_of(event: EventOutbox, delivery_id: int) -> Delivery:
    return Delivery(delivery_id, event.id, event.kind, dict(event.payload), event.created_at)


class WebhookDispatcher:
    """Follows the event outbox and hands claimed deliveries to one queue per URL."""

    def __init__(
        self,
        environment: WebhookEnvironment,
        sessionmaker: async_sessionmaker[AsyncSession],
        http: aiohttp.ClientSession,
        signal: EventSignal,
        *,
        replica: str,
        poll_s: float = 1.0,
    ) -> None:
        self.environment = environment
        self.sessionmaker = sessionmaker
        self.signal = signal
        self.replica = replica
        self.claimant = f"{replica}/{uuid.uuid4().hex[:12]}"  # this process, not its host name
        self.poll_s = poll_s
        self.sender = WebhookSender(environment, http)
        self.queues = {
            url: ReceiverQueue(url, environment, sessionmaker, self.sender)
            for url in environment.urls
        }
        self.task = BackgroundTask("webhook-dispatcher", self._run)
        self.claims = BackgroundTask("webhook-claims", self._keep_claims)

    def start(self) -> None:
        if self.environment.urls:
            self.task.start()

    async def stop(self) -> None:
        """Stop following and sending, then hand every delivery still held back to the peers."""
        await self.task.stop()
        await self.claims.stop()
        for queue in self.queues.values():
            await queue.stop()
        if not self.environment.urls:
            return
        try:
            async with self.sessionmaker() as session:
                handed = await WebhookRepository(session).hand_back(self.claimant, utcnow())
                await session.commit()
        except Exception:  # the peers re-claim them once the heartbeat is stale
            logger.warning("webhooks: deliveries not handed back at stop", exc_info=True)
            return
        if handed:
            logger.info("webhooks: %d delivery(ies) in flight handed back at stop", handed)

    async def ready(self, timeout_s: float) -> bool:
        """Wait until the dispatcher has taken its starting point in the outbox (events
        committed from then on are delivered); False when it did not within `timeout_s`."""
        if not self.task.running:
            return False
        try:
            await self.task.wait_ready(timeout_s)
        except TimeoutError:
            return False
        return True

    async def _starting_point(self) -> int:
        """The last event handled before, or the newest event when nothing was ever delivered;
        retried while the database is unreachable."""
        while True:
            try:
                async with self.sessionmaker() as session:
                    last = await WebhookRepository(session).last_event_id()
                    if last == 0:  # never delivered anything: start with what happens from now
                        last = await EventRepository(session).latest_id()
                    return last
            except Exception:
                logger.warning("webhooks: outbox unreachable; retrying", exc_info=True)
                await asyncio.sleep(self.poll_s)

    async def _run(self) -> None:
        last = await self._starting_point()
        for queue in self.queues.values():
            queue.start()
        self.claims.start()
        self.task.mark_ready()
        while True:
            try:
                async with self.sessionmaker() as session:
                    events = list(await EventRepository(session).after(last))
                if events:
                    await self.claim([e for e in events if e.kind in self.environment.kinds])
                    last = events[-1].id
                else:
                    await self.signal.wait(self.poll_s)
            except asyncio.CancelledError:
                raise
            except Exception:  # the database blinked: keep following the outbox
                logger.exception("webhooks: dispatch failed; retrying")
                await asyncio.sleep(self.poll_s)

    async def claim(self, events: Sequence[EventOutbox]) -> None:
        """Claim `events` for every URL in one transaction, then queue, coalesce or drop each
        claimed delivery: past the rate limit or the queue's room, only critical alerts stay."""
        now = utcnow()
        since = now - timedelta(seconds=self.environment.rate_window_s)
        placed: list[tuple[ReceiverQueue, Delivery, str | None]] = []
        room = {url: queue.room() for url, queue in self.queues.items()}
        async with self.sessionmaker() as session:
            deliveries = WebhookRepository(session)
            for event in events:
                for url in self.environment.urls:
                    recent = await deliveries.sent_recently(url, event.kind, since)
                    delivery_id = await deliveries.claim(
                        event.id, url, event.kind, self.replica, now, self.claimant
                    )
                    if delivery_id is None:
                        continue  # another replica has it
                    delivery = delivery_of(event, delivery_id)
                    reason = None
                    if recent >= self.environment.rate_limit:
                        window_s = self.environment.rate_window_s
                        reason = f"{recent} {event.kind} deliveries in {window_s:g}s"
                    elif room[url] == 0:
                        reason = f"queue full ({self.environment.queue_max} waiting)"
                    if reason is None:
                        room[url] -= 1
                    elif not delivery.critical:
                        await deliveries.drop(delivery_id, reason, now)
                    placed.append((self.queues[url], delivery, reason))
            await session.commit()
        for queue, delivery, reason in placed:
            if reason is None:
                queue.put(delivery)
            elif delivery.critical:
                queue.coalesce(delivery)
            else:
                log_dropped(delivery, queue.receiver, reason)

    async def _keep_claims(self) -> None:
        """Heartbeat this dispatcher's claims, re-claim the stale or handed-back ones of the
        peers, and refresh the lag gauges, every third of `claim_ttl_s`."""
        while True:
            try:
                await self.sweep()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("webhooks: claims not kept this time; retrying", exc_info=True)
            for queue in self.queues.values():
                queue.observe_lag()
            await asyncio.sleep(self.environment.claim_ttl_s / 3)

    async def sweep(self) -> int:
        """One heartbeat and re-claim; how many deliveries were re-claimed."""
        now = utcnow()
        stale_before = now - timedelta(seconds=self.environment.claim_ttl_s)
        taken: list[tuple[ReceiverQueue, Delivery]] = []
        async with self.sessionmaker() as session:
            deliveries = WebhookRepository(session)
            await deliveries.heartbeat(self.claimant, now)
            for url, queue in self.queues.items():
                if not queue.room():  # the rows wait in the table for room here or a peer
                    continue
                rows = await deliveries.reclaim(
                    url,
                    claimant=self.claimant,
                    replica=self.replica,
                    now=now,
                    stale_before=stale_before,
                    limit=queue.room(),
                )
                taken += [(queue, delivery_of(event, row.id)) for row, event in rows]
            await session.commit()
        for queue, delivery in taken:
            logger.info(
                "webhooks: re-claimed %s event %d for %s",
                delivery.kind,
                delivery.event_id,
                queue.receiver,
            )
            queue.put(delivery)
        return len(taken)
