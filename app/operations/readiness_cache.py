"""The anonymous readiness answer shared for a second: probes and anyone else without a key
ask `/status` as often as they like, and the database is asked at most once a second."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from app.operations.schemas import Status

TTL_S = 1.0


class SharedReadiness:
    """The last readiness answer, kept `ttl_s` from when it was asked; one computation at a
    time, which every caller that comes while it runs waits for."""

    def __init__(self, ttl_s: float = TTL_S, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self.clock = clock
        self._answer: Status | None = None
        self._asked_at = 0.0
        self._computing: asyncio.Task[Status] | None = None

    async def get(self, compute: Callable[[], Awaitable[Status]]) -> Status:
        """The kept answer while fresh, else the one being computed (started if none is)."""
        if self._answer is not None and self.clock() - self._asked_at < self.ttl_s:
            return self._answer
        if self._computing is None:
            self._computing = asyncio.create_task(self._refresh(compute))
        # Shielded: a caller that goes away does not cancel the answer the others wait for.
        return await asyncio.shield(self._computing)

    async def _refresh(self, compute: Callable[[], Awaitable[Status]]) -> Status:
        asked_at = self.clock()
        try:
            answer = await compute()
        finally:
            self._computing = None
        self._answer, self._asked_at = answer, asked_at
        return answer
