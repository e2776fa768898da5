"""The statistics of selection skill: a book's alpha and beta against the universe, two books
compared, and a hit rate with its interval.

Alpha and beta are the OLS intercept and slope of a book's per-period returns (after costs) on
the universe's. Alpha's standard error is OLS's, sqrt(s^2 (1/n + mean(x)^2 / Sxx)) with
s^2 = SSR / (n - 2); its 95 % interval is alpha +/- 1.96 SE (the normal quantile, not Student's
t: with the hundreds of decisions a report holds they differ in the third digit). Beside it,
`alpha_t_hac`: the Newey-West t (`app.stats.hac`, lags floor(4 (n / 100) ^ (2 / 9))), which
allows for autocorrelated residuals. Annualised figures multiply a period's by the periods in a
year (8760 h / the decision interval), the tracking error (the active return's volatility,
`app.stats.performance.volatility`) by its square root.

Two books are compared by the paired regression (`paired`): book_c - book_d per period on the
universe's return. OLS is linear in y, so over the same periods its intercept is exactly
alpha_c - alpha_d and its slope beta_c - beta_d; its standard error is that of the difference,
far smaller than either alpha's, since the market both books ride cancels.

Outcomes that overlap (a 30-day outcome from each daily decision) are not independent: with
their decision times, `outcome_figures` clusters them by decision date and lets dates whose
horizons overlap covary with the Bartlett weight 1 - |t_g - t_h| / horizon (a positive definite
kernel, so the variance is never negative). The hit rate's interval is Wilson's at the effective
number of outcomes, n / the design effect (never more than n).
"""

from __future__ import annotations

import math
from typing import NotRequired, TypedDict

import numpy as np

from app.platform.core.units import HOUR_MS, HOURS_PER_YEAR
from app.stats.hac import ols_hac
from app.stats.performance import volatility
from app.stats.rounding import rounded

Z95 = 1.96  # the two-sided 95 % normal quantile
MIN_PERIODS = 3  # an intercept, a slope and at least one residual


class Regression(TypedDict):
    """A book's alpha and beta on the universe (`regression`)."""

    n: int
    alpha: float | None
    alpha_annualised: float | None
    alpha_se: float | None
    alpha_t: float | None
    alpha_se_hac: float | None
    alpha_t_hac: float | None
    alpha_interval: list[float | None]
    alpha_interval_annualised: list[float | None]
    beta: float | None
    active_return: float | None
    tracking_error: float | None
    information_ratio: float | None


class PairedRegression(TypedDict):
    """One book minus another on the universe (`paired`): the alpha and beta leads."""

    n: int
    alpha_lead: float | None
    alpha_lead_annualised: float | None
    alpha_lead_se_hac: float | None
    alpha_lead_t_hac: float | None
    alpha_lead_interval_annualised: list[float | None]
    beta_lead: float | None


class Outcome(TypedDict):
    """Swap outcomes over one horizon (`outcome_figures`); the last three when their
    decision times were given (clustered by decision date)."""

    n: int
    mean: float | None
    hit_rate: float | None
    hit_interval: list[float | None]
    decisions: NotRequired[int]
    t_clustered: NotRequired[float | None]
    effective_n: NotRequired[float | None]


def periods_per_year(every_h: int) -> float:
    """Decision periods in a year of 8760 hours."""
    return HOURS_PER_YEAR / every_h


def _interval(low: float, high: float) -> list[float | None]:
    return [rounded(low), rounded(high)]


def _hac_se(y: np.ndarray, x: np.ndarray, blocks: np.ndarray | None) -> tuple[float, float]:
    """The Newey-West standard errors of the intercept and the slope of `y` on `x`."""
    _, cov = ols_hac(y, np.column_stack([np.ones(y.size), x]), blocks=blocks)
    return math.sqrt(max(cov[0, 0], 0.0)), math.sqrt(max(cov[1, 1], 0.0))


def regression(
    book: np.ndarray, universe: np.ndarray, per_year: float, blocks: np.ndarray | None = None
) -> Regression:
    """Alpha (per period and annualised, with its SE, t, HAC t and 95 % interval), beta, and
    the active return, tracking error and information ratio of `book` against `universe`, over
    the periods where both are known; None where a figure is undefined. `blocks`: each period's
    dataset (the HAC sums stay within one)."""
    known = np.isfinite(book) & np.isfinite(universe)
    y, x = book[known], universe[known]
    n = int(y.size)
    alpha = beta = se = se_hac = math.nan
    if n >= MIN_PERIODS:
        dx = x - x.mean()
        sxx = float(dx @ dx)
        if sxx > 0:
            beta = float(dx @ (y - y.mean())) / sxx
            alpha = float(y.mean() - beta * x.mean())
            residuals = y - alpha - beta * x
            s2 = float(residuals @ residuals) / (n - 2)
            se = math.sqrt(s2 * (1.0 / n + float(x.mean()) ** 2 / sxx))
            se_hac = _hac_se(y, x, None if blocks is None else blocks[known])[0]
    active = y - x
    active_mean = float(active.mean()) * per_year if n else math.nan
    tracking = volatility(active, per_year)  # the tracking error
    return {
        "n": n,
        "alpha": rounded(alpha),
        "alpha_annualised": rounded(alpha * per_year),
        "alpha_se": rounded(se),
        "alpha_t": rounded(alpha / se) if se > 0 else None,
        "alpha_se_hac": rounded(se_hac),
        "alpha_t_hac": rounded(alpha / se_hac) if se_hac > 0 else None,
        "alpha_interval": _interval(alpha - Z95 * se, alpha + Z95 * se),
        "alpha_interval_annualised": _interval(
            (alpha - Z95 * se) * per_year, (alpha + Z95 * se) * per_year
        ),
        "beta": rounded(beta),
        "active_return": rounded(active_mean),
        "tracking_error": rounded(tracking),
        "information_ratio": rounded(active_mean / tracking) if tracking > 0 else None,
    }


def paired(
    book: np.ndarray,
    default: np.ndarray,
    universe: np.ndarray,
    per_year: float,
    blocks: np.ndarray | None = None,
) -> PairedRegression:
    """The paired regression of `book` - `default` on `universe` over the periods where all
    three are known: the alpha lead (the intercept: alpha_book - alpha_default over those
    periods), per period and annualised, with its HAC standard error, HAC t and 95 % interval,
    and the beta lead (the slope)."""
    known = np.isfinite(book) & np.isfinite(default) & np.isfinite(universe)
    y, x = book[known] - default[known], universe[known]
    n = int(y.size)
    lead = beta = se = math.nan
    if n >= MIN_PERIODS and np.ptp(x) > 0:
        dx = x - x.mean()
        beta = float(dx @ (y - y.mean())) / float(dx @ dx)
        lead = float(y.mean() - beta * x.mean())
        se = _hac_se(y, x, None if blocks is None else blocks[known])[0]
    return {
        "n": n,
        "alpha_lead": rounded(lead),
        "alpha_lead_annualised": rounded(lead * per_year),
        "alpha_lead_se_hac": rounded(se),
        "alpha_lead_t_hac": rounded(lead / se) if se > 0 else None,
        "alpha_lead_interval_annualised": _interval(
            (lead - Z95 * se) * per_year, (lead + Z95 * se) * per_year
        ),
        "beta_lead": rounded(beta),
    }


def _wilson(p: float, n: float) -> list[float | None]:
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return _interval(centre - half, centre + half)


def wilson(hits: int, n: int) -> list[float | None]:
    """The 95 % Wilson score interval of a proportion `hits / n` ([None, None] when n = 0)."""
    if n == 0:
        return [None, None]
    return _wilson(hits / n, n)


def overlap_weights(
    at_ms: np.ndarray, horizon_h: float, blocks: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Each outcome's cluster (its distinct decision time within its block) and the Bartlett
    weights between clusters: max(0, 1 - |t_g - t_h| / horizon) within a block, 0 across."""
    block = np.zeros(at_ms.size, np.int64) if blocks is None else np.asarray(blocks, np.int64)
    keys, cluster = np.unique(np.column_stack([block, at_ms]), axis=0, return_inverse=True)
    cluster = cluster.reshape(-1)
    gap_h = np.abs(keys[:, 1][:, None] - keys[:, 1][None, :]) / HOUR_MS
    same = keys[:, 0][:, None] == keys[:, 0][None, :]
    return cluster, np.where(same, np.maximum(0.0, 1.0 - gap_h / horizon_h), 0.0)


def clustered_variance(
    values: np.ndarray, cluster: np.ndarray, weights: np.ndarray, corrected: bool = True
) -> float:
    """The variance of the mean of `values` clustered by `cluster` (an index into the rows of
    `weights`), clusters covarying by `weights`; `corrected`: times G / (G - 1) (so that
    independent singletons give the sample variance's s^2 / n)."""
    g = weights.shape[0]
    if values.size < 2 or g < 2:
        return math.nan
    sums = np.bincount(cluster, weights=values - values.mean(), minlength=g)
    factor = g / (g - 1) if corrected else 1.0
    return float(sums @ weights @ sums) / values.size**2 * factor


def outcome_figures(
    values: np.ndarray,
    at_ms: np.ndarray | None = None,
    horizon_h: float | None = None,
    blocks: np.ndarray | None = None,
) -> Outcome:
    """How many known outcomes, their mean, the share above zero and its 95 % interval: Wilson's
    for independent outcomes; with each outcome's decision time `at_ms` and its `horizon_h`,
    clustered by decision date and overlapping horizons (the module's docstring), with the
    number of decision dates and the mean's clustered t (`blocks`: each outcome's dataset;
    datasets never covary)."""
    finite = np.isfinite(values)
    known = values[finite]
    n = int(known.size)
    hits = int(np.count_nonzero(known > 0))
    out: Outcome = {
        "n": n,
        "mean": rounded(float(known.mean())) if n else None,
        "hit_rate": rounded(hits / n) if n else None,
        "hit_interval": wilson(hits, n),
    }
    if at_ms is None or horizon_h is None:
        return out
    chosen = None if blocks is None else np.asarray(blocks)[finite]
    cluster, weights = overlap_weights(np.asarray(at_ms)[finite], horizon_h, chosen)
    variance = clustered_variance(known, cluster, weights)
    out["decisions"] = int(weights.shape[0])
    out["t_clustered"] = (
        rounded(float(known.mean()) / math.sqrt(variance)) if variance > 0 else None
    )
    out["effective_n"] = None
    if n:
        # The design effect: the clustered variance of the hit share over the independent one
        # (1 for independent outcomes, so the interval is then exactly Wilson's).
        p = hits / n
        hit = (known > 0).astype(float)
        if 0 < p < 1:
            effect = clustered_variance(hit, cluster, weights, False) / (p * (1 - p) / n)
        else:  # no spread to measure: as if overlapping outcomes moved together
            counts = np.bincount(cluster, minlength=weights.shape[0]).astype(float)
            effect = float(counts @ weights @ counts) / n
        effective = n / max(effect, 1.0) if math.isfinite(effect) else 1.0
        out["effective_n"] = rounded(effective)
        out["hit_interval"] = _wilson(p, effective)
    return out
