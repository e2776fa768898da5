"""One webhook POST: the body of a delivery (or of a digest of critical alerts), signed as
Standard Webhooks (https://www.standardwebhooks.com/), sent with retries and never redirected.

`webhook-id` is the same for every attempt of a delivery, `webhook-timestamp` each attempt's,
`webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">` under the `whsec_` secret.
5xx, timeouts and connection errors are retried with exponential backoff; any other answer is
final, and a 3xx is a failure: following it would re-post the signed body to a host nobody
configured (the redirect target is not checked like the configured URLs are).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp
from standardwebhooks import Webhook

from app.platform.core.environment_sections import WebhookEnvironment
from app.platform.runtime.backoff import backoff_delay


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


@dataclass(frozen=True)
class Delivery:
    """One claimed `webhook_delivery` row and what its event says."""

    delivery_id: int
    event_id: int
    kind: str
    payload: dict[str, Any]
    at: datetime  # the event's

    @property
    def critical(self) -> bool:
        return self.kind == "alert" and self.payload.get("severity") == "critical"

    def item(self) -> dict[str, Any]:
        return {
            "id": self.event_id,
            "kind": self.kind,
            "at": self.at.isoformat(),
            "data": self.payload,
        }


@dataclass(frozen=True)
class Outcome:
    status: str  # delivered | failed
    attempts: int
    response_status: int | None
    error: str | None


def body_of(deliveries: Sequence[Delivery]) -> bytes:
    """One delivery's body; a digest's is its newest one's with every coalesced event listed
    in `coalesced` (oldest first, the newest included)."""
    newest = deliveries[-1]
    body = newest.item()
    if len(deliveries) > 1:
        body["coalesced"] = [d.item() for d in deliveries]
    return json.dumps(body, separators=(",", ":")).encode()


class WebhookSender:
    """POSTs signed bodies on the lifespan's aiohttp session."""

    def __init__(self, environment: WebhookEnvironment, http: aiohttp.ClientSession) -> None:
        self.environment = environment
        self.http = http
        # The environment refuses URLs without a valid secret: there is always a key to sign with.
        self.signer = Webhook(environment.secret.get_secret_value()) if environment.urls else None

    async def send(self, url: str, deliveries: Sequence[Delivery]) -> Outcome:
        """Send `deliveries` (one, or a digest) to `url` under the newest one's webhook-id."""
        if self.signer is None:
            raise RuntimeError("webhooks: no URLs configured, so no secret to sign with")
        newest = deliveries[-1]
        body = body_of(deliveries)
        msg_id = message_id(newest.event_id, newest.delivery_id)
        code: int | None = None
        error: str | None = None
        timeout = aiohttp.ClientTimeout(total=self.environment.timeout_s)
        for attempt in range(1, self.environment.max_attempts + 1):
            headers = {
                "content-type": "application/json",
                "X-MySymbols-Event": newest.kind,
                **signed_headers(self.signer, msg_id, body, time.time()),
            }
            try:
                async with self.http.post(
                    url, data=body, headers=headers, timeout=timeout, allow_redirects=False
                ) as response:
                    code, error = response.status, None
                    if response.status < 500:
                        if 200 <= response.status < 300:
                            return Outcome("delivered", attempt, code, None)
                        redirect = " (redirects are not followed)" if code < 400 else ""
                        return Outcome("failed", attempt, code, f"HTTP {code}{redirect}")
            except (aiohttp.ClientError, TimeoutError) as exc:
                code, error = None, exc.__class__.__name__
            if attempt < self.environment.max_attempts:
                await asyncio.sleep(
                    backoff_delay(
                        attempt,
                        base_s=self.environment.backoff_base_s,
                        max_s=self.environment.backoff_max_s,
                    )
                )
        return Outcome("failed", self.environment.max_attempts, code, error or f"HTTP {code}")
