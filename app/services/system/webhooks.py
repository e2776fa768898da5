"""Webhooks: alerts and portfolio changes POSTed as signed JSON to the configured URLs.

Each replica follows the event outbox; a delivery (event, URL) is claimed in the database first,
so exactly one replica sends it. Deliveries are signed as Standard Webhooks
(https://www.standardwebhooks.com/): `webhook-id` (the same for every attempt of a delivery),
`webhook-timestamp` (each attempt's) and `webhook-signature: v1,<base64 HMAC-SHA256 of
"id.timestamp.body">` under the `whsec_` secret. 5xx, timeouts and connection errors are retried
with exponential backoff; a per-kind rate limit drops (and records) deliveries past `rate_limit`
per `rate_window_s` for each URL.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import UTC, datetime, timedelta

import aiohttp
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from standardwebhooks import Webhook

from app.core.clock import utcnow
from app.core.config import WebhookSettings
from app.db.models import EventOutbox
from app.db.repositories.events import EventRepository
from app.db.repositories.webhooks import WebhookRepository
from app.runtime.background import BackgroundTask
from app.runtime.backoff import backoff_delay
from app.services.system.events import EventSignal

logger = logging.getLogger(__name__)


def message_id(event_id: int, delivery_id: int) -> str:
    """The `webhook-id` of a delivery: its row's, so every attempt carries the same one. The
    event id goes first because it is never reused, while SQLite may hand out a deleted
    `webhook_delivery` id again once retention has emptied the table."""
    return f"msg_{event_id}_{delivery_id}"


def signed_headers(signer: Webhook, msg_id: str, body: bytes, now: float) -> dict[str, str]:
    """The Standard Webhooks headers of one attempt at `now`."""
    timestamp = int(now)
    signature = signer.sign(msg_id, datetime.fromtimestamp(timestamp, UTC), body.decode())
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature,
    }


class WebhookDispatcher:
    """Follows the event outbox and POSTs signed deliveries, each claimed once across replicas."""

    def __init__(
        self,
        settings: WebhookSettings,
        sessionmaker: async_sessionmaker[AsyncSession],
        http: aiohttp.ClientSession,
        signal: EventSignal,
        *,
        replica: str,
        poll_s: float = 1.0,
    ) -> None:
        self.settings = settings
        self.sessionmaker = sessionmaker
        self.http = http
        self.signal = signal
        self.replica = replica
        self.poll_s = poll_s
        self.task = BackgroundTask("webhook-dispatcher", self._run)
        # The settings refuse URLs without a valid secret: there is always a key to sign with.
        self.signer = Webhook(settings.secret.get_secret_value()) if settings.urls else None

    def start(self) -> None:
        if self.settings.urls:
            self.task.start()

    async def stop(self) -> None:
        await self.task.stop()

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
        self.task.mark_ready()
        while True:
            try:
                async with self.sessionmaker() as session:
                    events = list(await EventRepository(session).after(last))
                for event in events:
                    if event.kind in self.settings.kinds:
                        await asyncio.gather(
                            *(self.deliver(event, url) for url in self.settings.urls)
                        )
                    last = event.id
                if not events:
                    await self.signal.wait(self.poll_s)
            except asyncio.CancelledError:
                raise
            except Exception:  # the database blinked: keep following the outbox
                logger.exception("webhooks: dispatch failed; retrying")
                await asyncio.sleep(self.poll_s)

    async def deliver(self, event: EventOutbox, url: str) -> str:
        """Claim, rate-limit, send with retries, record; returns the recorded status."""
        now = utcnow()
        async with self.sessionmaker() as session:
            deliveries = WebhookRepository(session)
            since = now - timedelta(seconds=self.settings.rate_window_s)
            recent = await deliveries.sent_recently(url, event.kind, since)
            delivery_id = await deliveries.claim(event.id, url, event.kind, self.replica, now)
            if delivery_id is None:
                await session.rollback()
                return "taken"  # another replica has it
            if recent >= self.settings.rate_limit:
                await deliveries.finish(
                    delivery_id, status="rate_limited", attempts=0, response_status=None,
                    error=f"{recent} {event.kind} deliveries in {self.settings.rate_window_s:g}s",
                    now=now,
                )  # fmt: skip
                await session.commit()
                return "rate_limited"
            await session.commit()
        status, attempts, code, error = await self._send(event, url, delivery_id)
        async with self.sessionmaker() as session:
            await WebhookRepository(session).finish(
                delivery_id, status=status, attempts=attempts, response_status=code, error=error,
                now=utcnow(),
            )  # fmt: skip
            await session.commit()
        return status

    async def _send(
        self, event: EventOutbox, url: str, delivery_id: int
    ) -> tuple[str, int, int | None, str | None]:
        body = json.dumps(
            {
                "id": event.id,
                "kind": event.kind,
                "at": event.created_at.isoformat(),
                "data": event.payload,
            },
            separators=(",", ":"),
        ).encode()
        if self.signer is None:
            raise RuntimeError("webhooks: no URLs configured, so no secret to sign with")
        msg_id = message_id(event.id, delivery_id)
        code: int | None = None
        error: str | None = None
        timeout = aiohttp.ClientTimeout(total=self.settings.timeout_s)
        for attempt in range(1, self.settings.max_attempts + 1):
            headers = {
                "content-type": "application/json",
                "X-MySymbols-Event": event.kind,
                **signed_headers(self.signer, msg_id, body, time.time()),
            }
            try:
                async with self.http.post(url, data=body, headers=headers, timeout=timeout) as r:
                    code, error = r.status, None
                    if r.status < 500:
                        ok = 200 <= r.status < 300
                        return (
                            ("delivered" if ok else "failed"),
                            attempt,
                            code,
                            None if ok else f"HTTP {r.status}",
                        )
            except (aiohttp.ClientError, TimeoutError) as exc:
                code, error = None, exc.__class__.__name__
            if attempt < self.settings.max_attempts:
                await asyncio.sleep(
                    backoff_delay(
                        attempt,
                        base_s=self.settings.backoff_base_s,
                        max_s=self.settings.backoff_max_s,
                    )
                )
        return "failed", self.settings.max_attempts, code, error or f"HTTP {code}"
