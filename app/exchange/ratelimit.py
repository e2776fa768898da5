"""Weight-aware limiter for one KuCoin resource pool (quota of weight per window).

KuCoin counts request weight per pool in fixed windows of 30 s and answers 429 (`429000`) past
the quota, telling the milliseconds to the reset in `gw-ratelimit-reset`. We keep a sliding log of
what we sent (never more than the quota in any window, whatever the server's phase), follow the
server's `remaining`/`reset` headers when they are tighter (other clients may share the IP), and
after a 429 send nothing to the pool until the reset.

Replicas of one deployment share one IP's quota: given a `SharedWindow` (PostgreSQL-backed, see
`app.db.rate_budget`), a send is also recorded there and waits while every replica together
has spent the quota in the window; a 429 one replica receives holds the window for all of them
until KuCoin's reset. A replica that cannot reach it falls back to a conservative local share
(quota / expected replicas), tries the shared window again after a while and, back, hands over
what it sent meanwhile that still counts in the window.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from app.exchange import spend

logger = logging.getLogger(__name__)

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


class SharedWindowUnavailable(Exception):
    """The shared window could not be reached (or did not answer in time)."""


class SharedWindow(Protocol):
    """A weight window every replica of a deployment spends from, with the limiter's rules."""

    async def spend(self, weight: int, quota: int, window_s: float) -> float:
        """Record `weight` and return 0 if the window has room, else the seconds until it has
        (recording nothing). Raises `SharedWindowUnavailable`."""
        ...

    async def used(self, window_s: float) -> int:
        """Weight every replica spent in the last `window_s`."""
        ...

    async def record(self, sent_ago: Sequence[tuple[float, int]]) -> None:
        """Add sends made `seconds ago` (weight each) without the window's knowledge."""
        ...

    async def hold(self, seconds: float, quota: int, window_s: float) -> None:
        """Leave no room to any replica for `seconds` (KuCoin answered 429 until its reset)."""
        ...


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
        self.shared = shared
        self.replicas = replicas
        self.retry_shared_s = retry_shared_s
        self.fallback_reason: str | None = None
        self._shared_retry_at = 0.0
        self.waited_s = 0.0
        """Seconds sends were held by this limiter since it was built."""
        self._clock = clock
        self._sleep = sleep
        self._sent: deque[tuple[float, int]] = deque()
        self._unshared: deque[tuple[float, int]] = deque()
        """Sends made while falling back: the shared window has not seen them."""
        self._hold_until = 0.0
        self._hold_task: asyncio.Task[None] | None = None
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
                if self.fallback_reason is not None and self._uses_shared():
                    await self._rejoin()
                wait = self._wait_needed(weight)
                shared = False
                if wait <= 0 and self._uses_shared():
                    wait = await self._spend_shared(weight)
                    shared = self.fallback_reason is None
                if max_wait_s is not None and wait > max_wait_s:
                    raise PoolExhausted(wait)
                if wait <= 0:
                    now = self._clock()
                    self._sent.append((now, weight))
                    if self.shared is not None and not shared:
                        while self._unshared and self._unshared[0][0] <= now - self.window_s:
                            self._unshared.popleft()
                        self._unshared.append((now, weight))
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
        if self.shared is None:
            return "local"
        return "fallback" if self.fallback_reason is not None else "shared"

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
        if self.mode == "fallback":
            return max(self.quota // self.replicas, 1)
        return self.quota

    async def available(self) -> int:
        """Weight that could be sent now without waiting (every replica's spend counted)."""
        free = self.local_quota - self.used
        if self._uses_shared() and self.shared is not None:
            try:
                free = min(free, self.quota - await self.shared.used(self.window_s))
            except SharedWindowUnavailable as exc:
                self._fall_back(exc)
                free = self.local_quota - self.used
        return max(free, 0)

    def _uses_shared(self) -> bool:
        if self.shared is None:
            return False
        return self.fallback_reason is None or self._clock() >= self._shared_retry_at

    async def _spend_shared(self, weight: int) -> float:
        assert self.shared is not None
        try:
            return await self.shared.spend(weight, self.quota, self.window_s)
        except SharedWindowUnavailable as exc:
            self._fall_back(exc)
            return self._wait_needed(weight)  # now against this replica's share

    async def _rejoin(self) -> None:
        """Hand over the sends made while falling back that still count, then leave the share
        (or stay on it, when the shared window is still out of reach)."""
        assert self.shared is not None
        now = self._clock()
        recent = [(now - at, w) for at, w in self._unshared if at > now - self.window_s]
        try:
            if recent:
                await self.shared.record(recent)
            else:  # nothing to hand over: only see that it answers
                await self.shared.used(self.window_s)
            await self._write_hold(self.shared)  # a 429 seen meanwhile, if its reset is ahead
        except SharedWindowUnavailable as exc:
            self._fall_back(exc)
            return
        self._unshared.clear()
        logger.warning(
            "shared KuCoin budget reachable again; leaving the local share (handed over %d)",
            sum(w for _, w in recent),
        )
        self.fallback_reason = None

    def _fall_back(self, exc: SharedWindowUnavailable) -> None:
        if self.fallback_reason is None:
            logger.warning(
                "shared KuCoin budget unreachable (%s); keeping to a local share of %d / %d",
                exc, max(self.quota // self.replicas, 1), self.quota,
            )  # fmt: skip
        self.fallback_reason = str(exc) or exc.__class__.__name__
        self._shared_retry_at = self._clock() + self.retry_shared_s

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
        if self.shared is not None and until > self._hold_until:
            self._hold_until = until
            if self._hold_task is None or self._hold_task.done():
                try:
                    loop = asyncio.get_running_loop()
                except RuntimeError:  # a synchronous caller: the block stays this replica's
                    return
                self._hold_task = loop.create_task(self._share_hold())
                self._hold_task.add_done_callback(_log_failure)

    async def _share_hold(self) -> None:
        """Tell the other replicas about a 429 while the shared window is reachable (else the
        way back to it does, `_rejoin`)."""
        assert self.shared is not None
        told = 0.0
        while self._hold_until > told:  # a later 429 may move the reset on meanwhile
            told = self._hold_until
            if not self._uses_shared() or self.fallback_reason is not None:
                return
            try:
                await self._write_hold(self.shared)
            except SharedWindowUnavailable as exc:
                self._fall_back(exc)
                return

    async def _write_hold(self, shared: SharedWindow) -> None:
        # KuCoin's reset is at most one window away: a wilder header must not lock every
        # replica out for longer.
        seconds = min(self._hold_until - self._clock(), self.window_s)
        if seconds > 0:
            await shared.hold(seconds, self.quota, self.window_s)

    @property
    def blocked_for_s(self) -> float:
        return max(self._blocked_until - self._clock(), 0.0)

    @property
    def used(self) -> int:
        self._wait_needed(0)
        return self._used


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and (exc := task.exception()) is not None:
        logger.error("sharing a KuCoin 429 with the other replicas failed: %r", exc)
