"""Row-wise forms of per-vector numpy code, for many rows at once with the same floats.

Each function does, row by row, exactly the arithmetic of the one-vector code it replaces (the
same reductions along a contiguous last axis, and the same BLAS routine per row through
numpy's stacked `vecdot`/`matmul`), so a replay's results do not move by a bit when it batches
them; tests compare both forms bit for bit.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from app.portfolio.correlation import MIN_COMMON_BARS
from app.scoring.normalise import percentile_ranks

__all__ = ["percentile_ranks"]  # row-wise ranks live with the one-vector form they match


def mask_groups(mask: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The rows of a `(k, m)` boolean mask grouped by pattern: (row indices, true columns)."""
    if mask.shape[0] == 0:
        return
    first = mask[0]
    if (mask == first).all():  # the usual case: every row has the same columns
        yield np.arange(mask.shape[0]), np.flatnonzero(first)
        return
    patterns, inverse = np.unique(np.packbits(mask, axis=1), axis=0, return_inverse=True)
    for p in range(patterns.shape[0]):
        rows = np.flatnonzero(inverse.ravel() == p)
        yield rows, np.flatnonzero(mask[rows[0]])


def correlations(rows: np.ndarray, others: np.ndarray) -> np.ndarray:
    """`np.corrcoef(rows[i], others[i])[0, 1]` for each row of `(k, m)` (m >= 2; `others` may
    be one `(m,)` row for all)."""
    k, m = rows.shape
    pairs = np.empty((k, 2, m))
    pairs[:, 0] = rows
    pairs[:, 1] = others
    pairs -= pairs.mean(axis=2)[:, :, None]
    c = pairs @ pairs.transpose(0, 2, 1)  # one syrk per pair, as np.cov's dot(X, X.T)
    c *= np.true_divide(1, m - 1)
    stddev = np.sqrt(np.diagonal(c, axis1=1, axis2=2))
    c /= stddev[:, :, None]
    c /= stddev[:, None, :]
    np.clip(c, -1, 1, out=c)
    return c[:, 0, 1].copy()


def dots(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`a[i] @ b[i]` for each row (the same BLAS dot as the one-row product)."""
    return np.vecdot(a, b)


def matrix_vector(matrices: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """`matrices[i].T @ vectors[i]` for `(k, p, h)` C-ordered `matrices` (each `.T` is the
    Fortran-ordered view the one-matrix product uses) and `(k, p)` vectors: `(k, h)`."""
    return np.matmul(matrices.transpose(0, 2, 1), vectors[:, :, None])[:, :, 0]


def pairwise_correlations(returns: np.ndarray) -> np.ndarray:
    """`app.portfolio.correlation.pairwise_correlation(returns)`, every pair at once (its loop
    over rows becomes a leading axis)."""
    n = returns.shape[0]
    have = ~np.isnan(returns)
    if have.all():
        return _complete_correlations(returns)
    values = np.where(have, returns, 0.0)
    both = have[:, None, :] & have[None, :, :]  # (row, partner, bar)
    count = both.sum(axis=2)
    x = np.where(both, values[:, None, :], 0.0)
    y = np.where(both, values[None, :, :], 0.0)
    safe = np.maximum(count, 1)[:, :, None]
    dx = np.where(both, x - x.sum(axis=2, keepdims=True) / safe, 0.0)
    dy = np.where(both, y - y.sum(axis=2, keepdims=True) / safe, 0.0)
    sxy = (dx * dy).sum(axis=2)
    denominator = np.sqrt((dx * dx).sum(axis=2) * (dy * dy).sum(axis=2))
    varies = _varies(x, both) & _varies(y, both)
    valid = (count >= MIN_COMMON_BARS) & varies & (denominator > 0.0)
    corr = np.full((n, n), np.nan)
    corr[valid] = np.clip(sxy[valid] / denominator[valid], -1.0, 1.0)
    np.fill_diagonal(corr, 1.0)
    return corr


def _complete_correlations(returns: np.ndarray) -> np.ndarray:
    """`pairwise_correlations` when no bar is missing: every pair shares every bar, so each
    row's centring is the same whatever its partner."""
    n, bars = returns.shape
    centred = returns - returns.sum(axis=1, keepdims=True) / np.maximum(bars, 1)
    sxy = (centred[:, None, :] * centred[None, :, :]).sum(axis=2)
    squares = (centred * centred).sum(axis=1)
    denominator = np.sqrt(squares[:, None] * squares[None, :])
    varies = returns.max(axis=1, initial=-np.inf) > returns.min(axis=1, initial=np.inf)
    valid = (bars >= MIN_COMMON_BARS) & (varies[:, None] & varies[None, :]) & (denominator > 0.0)
    corr = np.full((n, n), np.nan)
    corr[valid] = np.clip(sxy[valid] / denominator[valid], -1.0, 1.0)
    np.fill_diagonal(corr, 1.0)
    return corr


def _varies(rows: np.ndarray, mask: np.ndarray) -> np.ndarray:
    high = np.where(mask, rows, -np.inf).max(axis=-1, initial=-np.inf)
    low = np.where(mask, rows, np.inf).min(axis=-1, initial=np.inf)
    return high > low
