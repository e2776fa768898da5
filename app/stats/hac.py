"""Newey-West (HAC) standard errors, and where a value falls among random draws.

Per-decision series (ICs, decile spreads, book returns) are autocorrelated: scores persist from
one decision to the next, so consecutive ICs are not independent draws and the plain t overstates
them. The HAC covariance of an OLS fit is (X'X)^-1 S (X'X)^-1 with
S = sum_t u_t u_t' + sum_{l=1..L} w_l sum_t (u_t u_{t-l}' + u_{t-l} u_t'), u_t = x_t e_t,
Bartlett weights w_l = 1 - l / (L + 1), times the small-sample factor n / (n - k) (statsmodels'
`OLS(...).fit(cov_type="HAC", cov_kwds={"maxlags": L, "use_correction": True})`, the reference
the tests hold it to; with L = 0 a mean's HAC t is the plain t).

The lag L: `newey_west_lags(n) = floor(4 (n / 100) ^ (2 / 9))` (Newey and West's 1994 rule of
thumb: 5 lags for a year of daily decisions, 2 for a month), at most n - 1. A caller whose values
overlap by construction (a horizon longer than the decision interval) passes the overlap instead.
`blocks` (one label per value, e.g. the dataset) keeps the lagged products within a block:
series of several datasets laid end to end are not autocorrelated across the seam.
"""

from __future__ import annotations

import math

import numpy as np


def newey_west_lags(n: int) -> int:
    """floor(4 (n / 100) ^ (2 / 9)), at most n - 1 (0 under two values)."""
    if n < 2:
        return 0
    return int(min(math.floor(4.0 * (n / 100.0) ** (2.0 / 9.0)), n - 1))


def _meat(u: np.ndarray, lags: int, blocks: np.ndarray | None) -> np.ndarray:
    """S: the Bartlett-weighted sum of the scores' lagged cross products."""
    s: np.ndarray = u.T @ u
    for lag in range(1, lags + 1):
        left, right = u[lag:], u[:-lag]
        if blocks is not None:
            same = blocks[lag:] == blocks[:-lag]
            left, right = left[same], right[same]
        cross = left.T @ right
        s += (1.0 - lag / (lags + 1.0)) * (cross + cross.T)
    return s


def ols_hac(
    y: np.ndarray,
    x: np.ndarray,
    lags: int | None = None,
    blocks: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """OLS coefficients of `y` on the columns of `x` (n, k) and their HAC covariance (k, k);
    `lags` None: `newey_west_lags(n)`. NaN where n <= k or x'x is singular."""
    n, k = x.shape
    if n <= k:
        return np.full(k, np.nan), np.full((k, k), np.nan)
    xtx = x.T @ x
    try:
        bread = np.linalg.inv(xtx)
    except np.linalg.LinAlgError:
        return np.full(k, np.nan), np.full((k, k), np.nan)
    coef = bread @ (x.T @ y)
    residuals = y - x @ coef
    lag = newey_west_lags(n) if lags is None else min(max(lags, 0), n - 1)
    meat = _meat(x * residuals[:, None], lag, None if blocks is None else np.asarray(blocks))
    return coef, bread @ meat @ bread * (n / (n - k))


def mean_hac(
    values: np.ndarray, lags: int | None = None, blocks: np.ndarray | None = None
) -> tuple[float, float]:
    """The mean of `values` and its HAC standard error (NaN under two values)."""
    values = np.asarray(values, dtype=float)
    if values.size < 2:
        return (float(values.mean()) if values.size else math.nan), math.nan
    coef, cov = ols_hac(values, np.ones((values.size, 1)), lags, blocks)
    return float(coef[0]), math.sqrt(max(float(cov[0, 0]), 0.0))


def hac_t(values: np.ndarray, lags: int | None = None, blocks: np.ndarray | None = None) -> float:
    """The mean of `values` over its HAC standard error (NaN without a positive one)."""
    mean, se = mean_hac(values, lags, blocks)
    return mean / se if se > 0 else math.nan


def percentile_among(value: float, draws: np.ndarray) -> float:
    """Where `value` falls among `draws`, in percent: the share of draws below it, ties counted
    half (50 when it equals them all; NaN when it or every draw is unknown)."""
    known = draws[np.isfinite(draws)]
    if not math.isfinite(value) or not known.size:
        return math.nan
    below = np.count_nonzero(known < value)
    ties = np.count_nonzero(known == value)
    return float(100.0 * (below + 0.5 * ties) / known.size)
