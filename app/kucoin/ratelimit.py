"""Weight-aware limiter for one KuCoin resource pool (quota of weight per window).

KuCoin counts request weight per pool in fixed windows of 30 s and answers 429 (`429000`) past
the quota, telling the milliseconds to the reset in `gw-ratelimit-reset`. We keep a sliding log of
what we sent (never more than the quota in any window, whatever the server's phase), follow the
server's `remaining`/`reset` headers when they are tighter (other clients may share the IP), and
after a 429 send nothing to the pool until the reset. Replicas of one deployment also keep to a
budget they share (`app.kucoin.shared_budget`).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from app.kucoin import spend
from app.kucoin.shared_budget import SharedBudget, SharedWindow

BudgetMode = Literal["local", "shared", "fallback"]
# KuCoin counts what arrives in its window, we count what we send: one request's transit may be
# longer than another's (the first opens a connection), and the reset header is in whole
# milliseconds. So the server's reset is taken to come this much later than it says (without it,
# the first request of a new window met a 429 now and then on a loaded machine).
TRANSIT_MARGIN_S = 0.05


class PoolExhausted(Exception):
    """The pool frees up only after longer than the caller is willing to wait."""

    def __init__(self, wait_s: float) -> None:
        super().__init__(f"request pool exhausted for {wait_s:.3f}s")
        self.wait_s = wait_s


@dataclass(frozen=True)
class BudgetSnapshot:
    mode: BudgetMode
    quota: int
    window_s: float
    local_quota: int
    used_here: int
    """Weight this replica sent in the current window."""
    waited_s: float
    fallback_reason: str | None


class WeightLimiter:
    def __init__(
        self,
        quota: int,
        window_s: float,
        *,
        shared: SharedWindow | None = None,
        replicas: int = 1,
        retry_shared_s: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if quota <= 0 or window_s <= 0 or replicas <= 0:
            raise ValueError("quota, window and replicas must be positive")
        self.quota = quota
        self.window_s = window_s
        self.budget = (
            None
            if shared is None
            else SharedBudget(
                shared, quota, window_s, replicas=replicas, retry_s=retry_shared_s, clock=clock
            )
        )
        self.waited_s = 0.0
        """Seconds sends were held by this limiter since it was built."""
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
        budget = self.budget
        async with self._lock:  # FIFO: one waiter at a time computes and sleeps
            while True:
                if budget is not None and budget.fallback_reason is not None and budget.in_reach():
                    await budget.rejoin()
                wait = self._wait_needed(weight)
                shared = False
                if wait <= 0 and budget is not None and budget.in_reach():
                    spent = await budget.spend(weight)
                    if spent is None:  # out of reach: now against this replica's share
                        wait = self._wait_needed(weight)
                    else:
                        wait, shared = spent, True
                if max_wait_s is not None and wait > max_wait_s:
                    raise PoolExhausted(wait)
                if wait <= 0:
                    now = self._clock()
                    self._sent.append((now, weight))
                    if budget is not None and not shared:
                        budget.sent_unshared(now, weight)
                    self._used += weight
                    if self._server_remaining is not None and now < self._server_reset_at:
                        self._server_remaining -= weight
                    return
                await self._sleep(wait)
                self.waited_s += wait
                spend.waited(wait)

    @property
    def mode(self) -> BudgetMode:
        """`local`: this limiter is the budget; `shared`: every replica's; `fallback`: the
        shared one is unreachable, this replica keeps to its share."""
        if self.budget is None:
            return "local"
        return "fallback" if self.budget.fallback_reason is not None else "shared"

    @property
    def fallback_reason(self) -> str | None:
        return None if self.budget is None else self.budget.fallback_reason

    def snapshot(self) -> BudgetSnapshot:
        return BudgetSnapshot(
            mode=self.mode,
            quota=self.quota,
            window_s=self.window_s,
            local_quota=self.local_quota,
            used_here=self.used,
            waited_s=round(self.waited_s, 3),
            fallback_reason=self.fallback_reason,
        )

    @property
    def local_quota(self) -> int:
        """The quota this replica's own log keeps to (its share while falling back)."""
        if self.budget is not None and self.mode == "fallback":
            return self.budget.share
        return self.quota

    async def available(self) -> int:
        """Weight that could be sent now without waiting (every replica's spend counted)."""
        free = self.local_quota - self.used
        if self.budget is not None and self.budget.in_reach():
            everyone = await self.budget.used()
            if everyone is None:  # out of reach: this replica's share
                free = self.local_quota - self.used
            else:
                free = min(free, self.quota - everyone)
        return max(free, 0)

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
        quota = self.local_quota
        if self._used + weight <= quota:
            return 0.0
        # Wait until enough of the oldest sends leave the window.
        freed = 0
        for sent_at, sent_weight in self._sent:
            freed += sent_weight
            if self._used - freed + weight <= quota:
                return max(sent_at + self.window_s - now, 1e-3)
        return self.window_s

    def observe(self, remaining: int | None, reset_ms: int | None) -> None:
        """Follow the server's view of the pool, from the `gw-ratelimit-*` headers."""
        if remaining is None or reset_ms is None:
            return
        self._server_remaining = remaining
        self._server_reset_at = self._clock() + reset_ms / 1000 + TRANSIT_MARGIN_S

    def block_for(self, seconds: float) -> None:
        """After a 429: nothing is sent to this pool for `seconds` (by any replica)."""
        until = self._clock() + max(seconds, 0.0)
        self._blocked_until = max(self._blocked_until, until)
        self._server_remaining = 0
        self._server_reset_at = max(self._server_reset_at, until)
        if self.budget is not None:
            self.budget.hold(until)

    @property
    def blocked_for_s(self) -> float:
        return max(self._blocked_until - self._clock(), 0.0)

    @property
    def used(self) -> int:
        self._wait_needed(0)
        return self._used
