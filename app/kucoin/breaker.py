"""Circuit breaker: closed → open after repeated failures → half-open probe → closed."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from app.kucoin.exchange_errors import CircuitOpen


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass(frozen=True)
class BreakerSnapshot:
    state: BreakerState
    consecutive_failures: int
    opened_at: float | None
    retry_in_s: float | None
    times_opened: int


class CircuitBreaker:
    def __init__(
        self,
        *,
        failure_threshold: int = 5,
        reset_timeout_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.failure_threshold = failure_threshold
        self.reset_timeout_s = reset_timeout_s
        self._clock = clock
        self._state = BreakerState.CLOSED
        self._failures = 0
        self._opened_at: float | None = None
        self._probe_in_flight = False
        self._times_opened = 0

    @property
    def state(self) -> BreakerState:
        return self._state

    def before_call(self) -> None:
        """Allow a call, or raise CircuitOpen; once the timeout passes, let one probe through."""
        if self._state is BreakerState.CLOSED:
            return
        if self._state is BreakerState.OPEN:
            assert self._opened_at is not None
            remaining = self._opened_at + self.reset_timeout_s - self._clock()
            if remaining > 0:
                raise CircuitOpen(f"KuCoin calls suspended for {remaining:.1f}s after failures")
            self._state = BreakerState.HALF_OPEN
            self._probe_in_flight = False
        if self._probe_in_flight:
            raise CircuitOpen("KuCoin calls suspended while a probe request is in flight")
        self._probe_in_flight = True

    def abandon_probe(self) -> None:
        """A call allowed by `before_call` was never sent; let the next one probe instead."""
        self._probe_in_flight = False

    def record_success(self) -> None:
        self._state = BreakerState.CLOSED
        self._failures = 0
        self._opened_at = None
        self._probe_in_flight = False

    def record_failure(self) -> None:
        self._failures += 1
        if self._state is BreakerState.HALF_OPEN or self._failures >= self.failure_threshold:
            if self._state is not BreakerState.OPEN:
                self._times_opened += 1
            self._state = BreakerState.OPEN
            self._opened_at = self._clock()
            self._probe_in_flight = False

    def snapshot(self) -> BreakerSnapshot:
        retry_in = None
        if self._state is BreakerState.OPEN and self._opened_at is not None:
            retry_in = max(self._opened_at + self.reset_timeout_s - self._clock(), 0.0)
        return BreakerSnapshot(
            self._state, self._failures, self._opened_at, retry_in, self._times_opened
        )
