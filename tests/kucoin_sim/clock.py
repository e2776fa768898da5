"""Simulator clock: real UTC now plus an offset that tests can move forward."""

from __future__ import annotations

import time

HOUR_MS = 3_600_000


class SimClock:
    """Wall clock shifted by `offset_s`; `advance` makes new candles appear."""

    def __init__(self, start_ms: int | None = None) -> None:
        """Start at real now, or at `start_ms` (time keeps flowing from there)."""
        self.offset_s = 0.0 if start_ms is None else start_ms / 1000 - time.time()

    def now(self) -> float:
        """Simulated epoch seconds."""
        return time.time() + self.offset_s

    def now_ms(self) -> int:
        """Simulated epoch milliseconds."""
        return int(self.now() * 1000)

    def now_us(self) -> int:
        """Simulated epoch microseconds."""
        return int(self.now() * 1_000_000)

    def now_ns(self) -> int:
        """Simulated epoch nanoseconds."""
        return time.time_ns() + int(self.offset_s * 1e9)

    def hour_ms(self) -> int:
        """Open time of the current (in-progress) hourly candle."""
        return self.now_ms() // HOUR_MS * HOUR_MS

    def advance(self, seconds: float) -> None:
        """Move simulated time forward (or back, with a negative value)."""
        self.offset_s += seconds

    def set(self, epoch_ms: int) -> None:
        """Jump to `epoch_ms`; real time keeps flowing from there."""
        self.offset_s = epoch_ms / 1000 - time.time()
