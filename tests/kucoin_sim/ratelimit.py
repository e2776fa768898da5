"""KuCoin's public resource pool: a fixed window of weights with gw-ratelimit-* headers."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

# Public-pool weights (KUCOIN.md §1, SDK api_market.py).
WEIGHTS: dict[str, int] = {
    "contracts_active": 3,
    "contract": 3,
    "ticker": 2,
    "all_tickers": 5,
    "level2_snapshot": 3,
    "level2_depth": 5,
    "trade_history": 5,
    "kline": 3,
    "mark_price": 3,
    "timestamp": 2,
    "status": 4,
    "bullet_public": 10,
    "funding_current": 2,
    "funding_history": 5,
}
NO_HEADERS = frozenset({"timestamp"})  # `/api/v1/timestamp` replies carry no limit headers


@dataclass(frozen=True)
class Verdict:
    """Whether a request fits the pool, and the headers to send with the reply."""

    allowed: bool
    headers: dict[str, str]


class RateLimiter:
    """Fixed window of `window_s` seconds starting at the first request after a reset."""

    def __init__(
        self, quota: int, window_s: float, now: Callable[[], float] = time.monotonic
    ) -> None:
        """Pool of `quota` weight units per window; `now` is a monotonic clock in seconds."""
        self.quota = quota
        self.window_s = window_s
        self._now = now
        self._start: float | None = None
        self.used = 0

    def charge(self, weight: int) -> Verdict:
        """Spend `weight` if it fits; a refused request spends nothing."""
        now = self._now()
        if self._start is None or now >= self._start + self.window_s:
            self._start, self.used = now, 0
        allowed = self.used + weight <= self.quota
        if allowed:
            self.used += weight
        reset_ms = max(0, int((self._start + self.window_s - now) * 1000))
        headers = {
            "gw-ratelimit-limit": str(self.quota),
            "gw-ratelimit-remaining": str(max(0, self.quota - self.used)),
            "gw-ratelimit-reset": str(reset_ms),
        }
        return Verdict(allowed, headers)

    def reset(self, quota: int | None = None, window_s: float | None = None) -> None:
        """Start a fresh window, optionally with a new quota or window length."""
        self.quota = quota if quota is not None else self.quota
        self.window_s = window_s if window_s is not None else self.window_s
        self._start, self.used = None, 0
