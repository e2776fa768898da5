"""Covariance estimation for a handful of members: Ledoit-Wolf shrinkage and correlations.

Returns come as a (T, n) array, one row per period and one column per member. A row with any
NaN (a period some member has no data for) is dropped as a whole, so every estimate uses the
same periods for every member.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

MIN_ROWS = 3


def _complete_rows(returns: npt.ArrayLike) -> np.ndarray:
    x = np.asarray(returns, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"returns must be two-dimensional (T, n), got shape {x.shape}")
    if np.isinf(x).any():
        raise ValueError("returns must not contain infinities")
    x = x[~np.isnan(x).any(axis=1)]
    if x.shape[0] < MIN_ROWS:
        raise ValueError(
            f"need at least {MIN_ROWS} periods without NaN to estimate a covariance, "
            f"got {x.shape[0]}"
        )
    return x


def ledoit_wolf(returns: npt.ArrayLike) -> tuple[np.ndarray, float]:
    """Ledoit-Wolf (2004) shrunk covariance of (T, n) returns and its shrinkage intensity.

    Rows containing any NaN are dropped first; at least 3 complete rows are required. The
    sample covariance S uses the column means and divisor T (as in the paper), and is shrunk
    towards mu * I with mu = trace(S) / n:

        d2 = ||S - mu I||^2,  b2 = min(d2, sum_t ||x_t x_t' - S||^2 / T^2),  delta = b2 / d2

    (norms are the paper's Frobenius norm divided by n) giving delta * mu * I + (1 - delta) * S.
    The min() keeps delta in [0, 1]; when S already is a multiple of I (d2 = 0) delta is 0.
    """
    x = _complete_rows(returns)
    t, n = x.shape
    if n == 0:
        return np.empty((0, 0)), 0.0
    x = x - x.mean(axis=0)
    sample = x.T @ x / t
    sample = (sample + sample.T) / 2.0  # the matmul need not be bit-for-bit symmetric
    mu = float(np.trace(sample)) / n
    target_gap = sample - mu * np.eye(n)
    d2 = float(np.sum(target_gap * target_gap)) / n
    # sum_t ||x_t x_t' - S||^2 = sum_t ||x_t||^4 - T ||S||^2, because sum_t x_t x_t' = T S.
    fourth = float(np.sum(np.sum(x * x, axis=1) ** 2))
    b2_bar = (fourth - t * float(np.sum(sample * sample))) / (n * t * t)
    b2 = min(max(b2_bar, 0.0), d2)
    delta = 0.0 if d2 <= 0.0 else b2 / d2
    shrunk = delta * mu * np.eye(n) + (1.0 - delta) * sample
    return shrunk, delta


def shrunk_covariance(returns: npt.ArrayLike) -> np.ndarray:
    """Ledoit-Wolf shrunk (n, n) covariance of (T, n) returns; rows with any NaN are dropped."""
    return ledoit_wolf(returns)[0]


def _square(cov: npt.ArrayLike) -> np.ndarray:
    c = np.asarray(cov, dtype=float)
    if c.ndim != 2 or c.shape[0] != c.shape[1]:
        raise ValueError(f"covariance must be a square matrix, got shape {c.shape}")
    if not np.isfinite(c).all():
        raise ValueError("covariance must be finite")
    return c


def checked_covariance(cov: npt.ArrayLike) -> np.ndarray:
    """The covariance as a float array, made exactly symmetric; positive variances required."""
    c = _square(cov)
    if not np.allclose(c, c.T, rtol=1e-10, atol=0.0):
        raise ValueError("covariance must be symmetric")
    if not (np.diag(c) > 0).all():
        raise ValueError("covariance must have positive variances")
    return (c + c.T) / 2.0


def correlation_from_covariance(cov: npt.ArrayLike) -> np.ndarray:
    """Correlation matrix of a covariance; a zero-variance member is uncorrelated with the rest."""
    c = _square(cov)
    variances = np.diag(c)
    if (variances < 0).any():
        raise ValueError("covariance has a negative variance on its diagonal")
    sd = np.sqrt(variances)
    scale = np.outer(sd, sd)
    corr = np.where(scale > 0, c / np.where(scale > 0, scale, 1.0), 0.0)
    corr = np.clip((corr + corr.T) / 2.0, -1.0, 1.0)
    np.fill_diagonal(corr, 1.0)
    return corr
