"""The statistics of selection skill: a book's alpha and beta against the universe, and a hit
rate with its interval.

Alpha and beta are the OLS intercept and slope of a book's per-period returns (after costs) on
the universe's. Alpha's standard error is OLS's, sqrt(s^2 (1/n + mean(x)^2 / Sxx)) with
s^2 = SSR / (n - 2); its 95 % interval is alpha +/- 1.96 SE (the normal quantile, not Student's
t: with the hundreds of decisions a report holds they differ in the third digit). Annualised
figures multiply a period's by the periods in a year (8760 h / the decision interval), the
tracking error by its square root.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from app.core.units import HOURS_PER_YEAR
from app.replay.evidence import rounded

Z95 = 1.96  # the two-sided 95 % normal quantile
MIN_PERIODS = 3  # an intercept, a slope and at least one residual


def periods_per_year(every_h: int) -> float:
    """Decision periods in a year of 8760 hours."""
    return HOURS_PER_YEAR / every_h


def _interval(low: float, high: float) -> list[float | None]:
    return [rounded(low), rounded(high)]


def regression(book: np.ndarray, universe: np.ndarray, per_year: float) -> dict[str, Any]:
    """Alpha (per period and annualised, with its SE, t and 95 % interval), beta, and the
    active return, tracking error and information ratio of `book` against `universe`, over the
    periods where both are known; None where a figure is undefined."""
    known = np.isfinite(book) & np.isfinite(universe)
    y, x = book[known], universe[known]
    n = int(y.size)
    alpha = beta = se = math.nan
    if n >= MIN_PERIODS:
        dx = x - x.mean()
        sxx = float(dx @ dx)
        if sxx > 0:
            beta = float(dx @ (y - y.mean())) / sxx
            alpha = float(y.mean() - beta * x.mean())
            residuals = y - alpha - beta * x
            s2 = float(residuals @ residuals) / (n - 2)
            se = math.sqrt(s2 * (1.0 / n + float(x.mean()) ** 2 / sxx))
    active = y - x
    active_mean = float(active.mean()) * per_year if n else math.nan
    tracking = float(active.std(ddof=1)) * math.sqrt(per_year) if n > 1 else math.nan
    return {
        "n": n,
        "alpha": rounded(alpha),
        "alpha_annualised": rounded(alpha * per_year),
        "alpha_se": rounded(se),
        "alpha_t": rounded(alpha / se) if se > 0 else None,
        "alpha_interval": _interval(alpha - Z95 * se, alpha + Z95 * se),
        "alpha_interval_annualised": _interval(
            (alpha - Z95 * se) * per_year, (alpha + Z95 * se) * per_year
        ),
        "beta": rounded(beta),
        "active_return": rounded(active_mean),
        "tracking_error": rounded(tracking),
        "information_ratio": rounded(active_mean / tracking) if tracking > 0 else None,
    }


def wilson(hits: int, n: int) -> list[float | None]:
    """The 95 % Wilson score interval of a proportion `hits / n` ([None, None] when n = 0)."""
    if n == 0:
        return [None, None]
    p, z2 = hits / n, Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return _interval(centre - half, centre + half)


def outcome_figures(values: np.ndarray) -> dict[str, Any]:
    """How many known outcomes, their mean, the share above zero and its 95 % Wilson
    interval."""
    known = values[np.isfinite(values)]
    n = int(known.size)
    hits = int(np.count_nonzero(known > 0))
    return {
        "n": n,
        "mean": rounded(float(known.mean())) if n else None,
        "hit_rate": rounded(hits / n) if n else None,
        "hit_interval": wilson(hits, n),
    }
