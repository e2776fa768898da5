"""Weight-aware limiter for one KuCoin resource pool (quota of weight per window).

KuCoin counts request weight per pool in fixed windows of 30 s and answers 429 (`429000`) past
the quota, telling the milliseconds to the reset in `gw-ratelimit-reset`. We keep a sliding log of
what we sent (never more than the quota in any window, whatever the server's phase), follow the
server's `remaining`/`reset` headers when they are tighter (other clients may share the IP), and
after a 429 send nothing to the pool until the reset.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable


class PoolExhausted(Exception):
    """The pool frees up only after longer than the caller is willing to wait."""

    def __init__(self, wait_s: float) -> None:
        super().__init__(f"request pool exhausted for {wait_s:.3f}s")
        self.wait_s = wait_s


class WeightLimiter:
    def __init__(
        self,
        quota: int,
        window_s: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if quota <= 0 or window_s <= 0:
            raise ValueError("quota and window must be positive")
        self.quota = quota
        self.window_s = window_s
        self._clock = clock
        self._sleep = sleep
        self._sent: deque[tuple[float, int]] = deque()
        self._used = 0
        self._blocked_until = 0.0
        self._server_remaining: int | None = None
        self._server_reset_at = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self, weight: int, *, max_wait_s: float | None = None) -> None:
        """Wait until `weight` may be sent without exceeding the quota, then account for it.

        Raises `PoolExhausted` instead of waiting when the pool frees up only after `max_wait_s`.
        """
        if weight > self.quota:
            raise ValueError(f"weight {weight} exceeds the pool quota {self.quota}")
        async with self._lock:  # FIFO: one waiter at a time computes and sleeps
            while True:
                wait = self._wait_needed(weight)
                if max_wait_s is not None and wait > max_wait_s:
                    raise PoolExhausted(wait)
                if wait <= 0:
                    now = self._clock()
                    self._sent.append((now, weight))
                    self._used += weight
                    if self._server_remaining is not None and now < self._server_reset_at:
                        self._server_remaining -= weight
                    return
                await self._sleep(wait)

    def _wait_needed(self, weight: int) -> float:
        now = self._clock()
        if now < self._blocked_until:
            return self._blocked_until - now
        horizon = now - self.window_s
        while self._sent and self._sent[0][0] <= horizon:
            self._used -= self._sent.popleft()[1]
        if (
            self._server_remaining is not None
            and now < self._server_reset_at
            and self._server_remaining < weight
        ):
            return self._server_reset_at - now
        if self._used + weight <= self.quota:
            return 0.0
        # Wait until enough of the oldest sends leave the window.
        freed = 0
        for sent_at, sent_weight in self._sent:
            freed += sent_weight
            if self._used - freed + weight <= self.quota:
                return max(sent_at + self.window_s - now, 1e-3)
        return self.window_s

    def observe(self, remaining: int | None, reset_ms: int | None) -> None:
        """Follow the server's view of the pool, from the `gw-ratelimit-*` headers."""
        if remaining is None or reset_ms is None:
            return
        self._server_remaining = remaining
        self._server_reset_at = self._clock() + reset_ms / 1000

    def block_for(self, seconds: float) -> None:
        """After a 429: nothing is sent to this pool for `seconds`."""
        until = self._clock() + max(seconds, 0.0)
        self._blocked_until = max(self._blocked_until, until)
        self._server_remaining = 0
        self._server_reset_at = max(self._server_reset_at, until)

    @property
    def blocked_for_s(self) -> float:
        return max(self._blocked_until - self._clock(), 0.0)

    @property
    def used(self) -> int:
        self._wait_needed(0)
        return self._used
