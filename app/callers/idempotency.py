"""`Idempotency-Key` for POSTs that act, per draft-ietf-httpapi-idempotency-key-header-07.

The first request with a key claims it (a row committed at once, so concurrent retries on any
replica see it), runs, and stores its answer in its own transaction, together with its effect.
A retry with the same key and body replays that answer byte for byte. The draft's error
scenarios: the same key with another body is 422 `idempotency-key-reused`; the same key while
the first is still running is 409 `idempotency-key-in-progress` with `Retry-After`. A request
that fails releases its claim, so a retry runs afresh. A claim left by a process that died is
taken over after `abandoned_after` (its lease); retention deletes keys past `expires_at`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.callers.models import IdempotencyKey
from app.callers.repository import ClaimRow, IdempotencyRepository
from app.platform.core.clock import utcnow
from app.platform.core.errors import ConflictError, ValidationFailedError

KEEP_FOR = timedelta(hours=24)
ABANDONED_AFTER = timedelta(minutes=5)  # a claim's lease: past it, a retry takes the key over
RETRY_AFTER_S = 1  # what a retry of a request still running is told to wait, seconds


class IdempotencyKeyReused(ValidationFailedError):
    """422, as the draft says: the key was first used with another request payload."""

    slug, title = "idempotency-key-reused", "Idempotency key reused with a different request"


class IdempotencyKeyInProgress(ConflictError):
    """409 with `Retry-After`, as the draft says: the first request with the key still runs."""

    slug, title = "idempotency-key-in-progress", "A request with this idempotency key is running"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"Retry-After": str(RETRY_AFTER_S)})


@dataclass(frozen=True)
class StoredAnswer:
    status: int
    headers: dict[str, str]
    body: bytes


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"\n".join([method.encode(), path.encode(), body])).hexdigest()


class IdempotencyGuard:
    """Runs a keyed request once: claims its key, stores the answer beside the effect."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        key: str,
        principal: str,
        method: str,
        path: str,
        fingerprint: str,
        abandoned_after: timedelta = ABANDONED_AFTER,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.scope = (key, principal, method, path)
        self.fingerprint = fingerprint
        self.abandoned_after = abandoned_after
        self.claim_id: int | None = None

    async def claim(self) -> StoredAnswer | None:
        """Own the key (None: go ahead), or the first answer to replay; 422/409 otherwise."""
        now = utcnow()
        async with self.sessionmaker() as session:
            repository = IdempotencyRepository(session)
            self.claim_id = await repository.try_claim(self._row(now))
            if self.claim_id is None:
                existing = await repository.find(*self.scope)
                if existing is not None and self._stale(existing, now):
                    await repository.remove(existing.id)
                    self.claim_id = await repository.try_claim(self._row(now))
                if self.claim_id is None:
                    await session.commit()
                    return self._answer_of(await repository.find(*self.scope))
            await session.commit()
        return None

    async def complete(
        self, session: AsyncSession, status: int, headers: dict[str, str], body: bytes
    ) -> None:
        """Store the answer in the request's own transaction, beside its effect."""
        if self.claim_id is not None:
            await IdempotencyRepository(session).complete(self.claim_id, status, headers, body)

    async def release(self) -> None:
        """The request failed: drop the claim so that a retry runs."""
        if self.claim_id is None:
            return
        async with self.sessionmaker() as session:
            await IdempotencyRepository(session).remove(self.claim_id)
            await session.commit()
        self.claim_id = None

    def _row(self, now: datetime) -> ClaimRow:
        key, principal, method, path = self.scope
        return {
            "key": key,
            "principal": principal,
            "method": method,
            "path": path,
            "request_hash": self.fingerprint,
            "state": "in_progress",
            "created_at": now,
            "expires_at": now + KEEP_FOR,
        }

    def _stale(self, existing: IdempotencyKey, now: datetime) -> bool:
        """Expired, or claimed by a request that never finished (its process died)."""
        abandoned = (
            existing.state == "in_progress" and now - existing.created_at > self.abandoned_after
        )
        return existing.expires_at <= now or abandoned

    def _answer_of(self, existing: IdempotencyKey | None) -> StoredAnswer:
        if existing is None:  # it vanished between our insert and our read
            raise IdempotencyKeyInProgress("the first request with this key is being replaced")
        if existing.request_hash != self.fingerprint:
            raise IdempotencyKeyReused(
                "this Idempotency-Key was used with a different request; use a new key"
            )
        if existing.state != "completed" or existing.response_body is None:
            raise IdempotencyKeyInProgress(
                "the first request with this Idempotency-Key is still running; retry later"
            )
        return StoredAnswer(
            int(existing.response_status or 200),
            dict(existing.response_headers or {}),
            bytes(existing.response_body),
        )
