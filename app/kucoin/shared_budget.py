"""One replica's part in a deployment's shared KuCoin budget.

Replicas of one deployment share one IP's quota: given a `SharedWindow` (PostgreSQL-backed, see
`app.platform.db.rate_budget`), a send is also recorded there and waits while every replica together
has spent the quota in the window; a 429 one replica receives holds the window for all of them
until KuCoin's reset. A replica that cannot reach it falls back to a conservative local share
(quota / expected replicas), tries the shared window again after a while and, back, hands over
what it sent meanwhile that still counts in the window. `app.kucoin.ratelimit.WeightLimiter`
asks this before each send.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Sequence
from typing import Protocol

logger = logging.getLogger(__name__)


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


class SharedBudget:
    """The shared window as one replica uses it, and its fallback when it is out of reach."""

    def __init__(
        self,
        window: SharedWindow,
        quota: int,
        window_s: float,
        *,
        replicas: int,
        retry_s: float,
        clock: Callable[[], float],
    ) -> None:
        self.window = window
        self.quota = quota
        self.window_s = window_s
        self.replicas = replicas
        self.retry_s = retry_s
        self.fallback_reason: str | None = None
        self._clock = clock
        self._retry_at = 0.0
        self._unshared: deque[tuple[float, int]] = deque()
        """Sends made while falling back: the shared window has not seen them."""
        self._hold_until = 0.0
        self._hold_task: asyncio.Task[None] | None = None

    @property
    def share(self) -> int:
        """This replica's part of the quota while it falls back."""
        return max(self.quota // self.replicas, 1)

    def in_reach(self) -> bool:
        """Whether to use the window now: not falling back, or due to try it again."""
        return self.fallback_reason is None or self._clock() >= self._retry_at

    async def spend(self, weight: int) -> float | None:
        """0 when the window took `weight`, the seconds until it has room, or None when it is
        out of reach (this replica falls back from now)."""
        try:
            return await self.window.spend(weight, self.quota, self.window_s)
        except SharedWindowUnavailable as exc:
            self.fall_back(exc)
            return None

    async def used(self) -> int | None:
        """Weight every replica spent in the window, or None when it is out of reach."""
        try:
            return await self.window.used(self.window_s)
        except SharedWindowUnavailable as exc:
            self.fall_back(exc)
            return None

    def sent_unshared(self, at: float, weight: int) -> None:
        """A send the window did not see (handed over on the way back)."""
        while self._unshared and self._unshared[0][0] <= at - self.window_s:
            self._unshared.popleft()
        self._unshared.append((at, weight))

    async def rejoin(self) -> None:
        """Hand over the sends made while falling back that still count, then leave the share
        (or stay on it, when the shared window is still out of reach)."""
        now = self._clock()
        recent = [(now - at, w) for at, w in self._unshared if at > now - self.window_s]
        try:
            if recent:
                await self.window.record(recent)
            else:  # nothing to hand over: only see that it answers
                await self.window.used(self.window_s)
            await self._write_hold()  # a 429 seen meanwhile, if its reset is ahead
        except SharedWindowUnavailable as exc:
            self.fall_back(exc)
            return
        self._unshared.clear()
        logger.warning(
            "shared KuCoin budget reachable again; leaving the local share (handed over %d)",
            sum(w for _, w in recent),
        )
        self.fallback_reason = None

    def fall_back(self, exc: SharedWindowUnavailable) -> None:
        if self.fallback_reason is None:
            logger.warning(
                "shared KuCoin budget unreachable (%s); keeping to a local share of %d / %d",
                exc,
                self.share,
                self.quota,
            )
        self.fallback_reason = str(exc) or exc.__class__.__name__
        self._retry_at = self._clock() + self.retry_s

    def hold(self, until: float) -> None:
        """KuCoin answered 429 until `until`: tell the other replicas (in the background)."""
        if until <= self._hold_until:
            return
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
        way back to it does, `rejoin`)."""
        told = 0.0
        while self._hold_until > told:  # a later 429 may move the reset on meanwhile
            told = self._hold_until
            if not self.in_reach() or self.fallback_reason is not None:
                return
            try:
                await self._write_hold()
            except SharedWindowUnavailable as exc:
                self.fall_back(exc)
                return

    async def _write_hold(self) -> None:
        # KuCoin's reset is at most one window away: a wilder header must not lock every
        # replica out for longer.
        seconds = min(self._hold_until - self._clock(), self.window_s)
        if seconds > 0:
            await self.window.hold(seconds, self.quota, self.window_s)


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and (exc := task.exception()) is not None:
        logger.error("sharing a KuCoin 429 with the other replicas failed: %r", exc)
