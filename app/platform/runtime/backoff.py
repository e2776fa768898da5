"""One retry delay for every loop that retries: exponential, capped, with equal jitter."""

from __future__ import annotations

import random
from collections.abc import Callable


def backoff_delay(
    attempt: int, *, base_s: float, max_s: float, rng: Callable[[], float] = random.random
) -> float:
    """Seconds to wait before retry `attempt` (1 = the first retry): the ceiling
    min(max_s, base_s * 2^(attempt-1)), half of it fixed and half random, so replicas that
    failed together do not retry together."""
    ceiling = min(max_s, base_s * 2 ** (max(attempt, 1) - 1))
    delay: float = ceiling / 2 + rng() * ceiling / 2  # a float power is Any to typeshed
    return delay
