"""Target weights as the policy sets them: caps a member count can meet, the method's weights
within them, and percent with 4 decimals summing to exactly 100."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal
from functools import partial
from typing import Any

import numpy as np

from app.platform.core.units import HOURS_PER_YEAR
from app.portfolio.maths.covariance import shrunk_covariance
from app.stats.performance import row_volatilities

STEP = Decimal("0.0001")
MIN_COMMON_HOURS = 24


class InsufficientReturns(ValueError):
    """Too few hours common to every member (or a member that never moved) for risk weights."""

    def __init__(self, message: str, *, common_hours: int, without: list[int]) -> None:
        super().__init__(message)
        self.common_hours = common_hours
        self.without = without  # rows with no return at all

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in a worker process, it reaches the service by pickle, which would otherwise
        # call `__init__` with the message alone.
        rebuild = partial(InsufficientReturns, common_hours=self.common_hours, without=self.without)
        return rebuild, (str(self),)


def risk_inputs(returns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Annualised volatilities and the shrunk covariance of hourly returns `(n, H)`, over the
    hours every row has."""
    complete = ~np.isnan(returns).any(axis=0)
    if complete.sum() < MIN_COMMON_HOURS:
        without = [i for i, row in enumerate(returns) if np.isnan(row).all()]
        raise InsufficientReturns(
            "fewer than 24 hours of candles common to every member; run a scoring refresh",
            common_hours=int(complete.sum()),
            without=without,
        )
    aligned = returns[:, complete]
    volatilities = row_volatilities(aligned, HOURS_PER_YEAR)
    if not (volatilities > 0).all():
        raise InsufficientReturns(
            "a member's price did not move over the lookback",
            common_hours=int(complete.sum()),
            without=[],
        )
    return volatilities, shrunk_covariance(aligned.T)


def effective_bounds(
    n: int, min_weight: float, max_weight: float
) -> tuple[float, float, list[str]]:
    """The min/max weight caps (percent) that n members can meet while summing to 100.

    With fewer than 100/max members (a portfolio being built up) no weights can respect the
    max cap, and with more than 100/min none can respect the min cap: such a cap is relaxed to
    the equal weight 100/n and reported, never silently dropped.
    """
    low, high, relaxed = min_weight, max_weight, []
    if n * high < 100:
        high = 100.0 / n
        relaxed.append("max_position_weight")
    if n * low > 100:
        low = 100.0 / n
        relaxed.append("min_position_weight")
    return low, high, relaxed


def to_percent(weights: np.ndarray, upper: np.ndarray | None = None) -> list[Decimal]:
    """Round to 4 decimals so they sum to exactly 100: floor, then hand the remaining 0.0001
    steps to the largest remainders (ties to the earlier member), one each per pass, only to
    members a step keeps within their upper cap, so rounding never lifts a weight over a cap
    the exact weights respected (unless the caps themselves sum under 100 on the grid)."""
    exact = [Decimal(repr(float(w))) for w in weights]
    floored = [w.quantize(STEP, rounding=ROUND_DOWN) for w in exact]
    missing = int((Decimal(100) - sum(floored, Decimal(0))) / STEP)
    caps = [Decimal("Infinity")] * len(exact)
    if upper is not None:
        caps = [Decimal(repr(float(u))) if np.isfinite(u) else Decimal("Infinity") for u in upper]
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floored[i]), i))
    while missing > 0:  # one step each per pass, largest remainders first, within the caps
        takers = [i for i in order if floored[i] + STEP <= caps[i]]
        if not takers:  # caps summing under 100 on the 0.0001 grid: the only way to 100
            takers = order
        for i in takers[:missing]:
            floored[i] += STEP
        missing -= len(takers[:missing])
    return floored


def needs_rebalance(
    current: dict[str, Decimal], target: dict[str, Decimal], threshold_pct: float
) -> bool:
    """Apply the targets when any member's change exceeds the threshold (percentage points).
    Applying only some would leave the sum off 100: one change above applies the whole set."""
    threshold = Decimal(str(threshold_pct))
    return any(abs(target[s] - current.get(s, Decimal(0))) > threshold for s in target)
