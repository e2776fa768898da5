"""Co-movement of portfolio members: aligned returns, pairwise correlation, clusters and beta.

Rows are symbols, columns are bars on a common time grid; NaN marks a missing bar. Every
statistic uses only the bars both series have (pairwise complete observations).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

MIN_COMMON_BARS = 3  # fewer shared bars than this and a correlation or beta is noise
BLOCK_CELLS = 2_000_000  # (row, partner, bar) cells computed at once: ~16 MB an array


def _matrix(values: npt.ArrayLike, what: str) -> np.ndarray:
    m = np.asarray(values, dtype=float)
    if m.ndim != 2:
        raise ValueError(f"{what} must be two-dimensional, got shape {m.shape}")
    return m


def _square(corr: npt.ArrayLike, names: Sequence[str]) -> np.ndarray:
    c = _matrix(corr, "corr")
    if c.shape != (len(names), len(names)):
        raise ValueError(f"corr is {c.shape} but there are {len(names)} names")
    return c


def _varies(rows: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per row: does it take more than one value on the masked bars?"""
    high = np.where(mask, rows, -np.inf).max(axis=-1, initial=-np.inf)
    low = np.where(mask, rows, np.inf).min(axis=-1, initial=np.inf)
    return high > low


def pairwise_correlation(returns: npt.ArrayLike) -> np.ndarray:
    """Pearson correlation (n, n) over the bars both rows have.

    NaN where a pair shares fewer than MIN_COMMON_BARS bars or either side is constant on them.
    The diagonal is 1 by definition. Each pair is centred on its own common bars (what
    pairwise-complete Pearson needs; it also avoids one-pass cancellation), a block of rows at a
    time: the same arithmetic per pair whatever the block, so the live reads and the replay (the
    whole matrix at each decision) get the same floats.
    """
    r = _matrix(returns, "returns")
    n, bars = r.shape
    corr = np.full((n, n), np.nan)
    have = ~np.isnan(r)
    block = max(1, BLOCK_CELLS // max(1, n * bars))
    fill = _complete_rows(r) if have.all() else _masked_rows(r, have)
    for start in range(0, n, block):
        rows = slice(start, min(n, start + block))
        sxy, denominator, valid = fill(rows)
        found = corr[rows]  # a view: the block's rows of the result
        found[valid] = np.clip(sxy[valid] / denominator[valid], -1.0, 1.0)
    np.fill_diagonal(corr, 1.0)
    return corr


Block = tuple[np.ndarray, np.ndarray, np.ndarray]  # co-deviation, denominator, valid (rows, n)


def _complete_rows(r: np.ndarray) -> Callable[[slice], Block]:
    """No bar missing: every pair shares every bar, so each row's centring is the same whatever
    its partner."""
    bars = r.shape[1]
    centred = r - r.sum(axis=1, keepdims=True) / np.maximum(bars, 1)
    squares = (centred * centred).sum(axis=1)
    varies = r.max(axis=1, initial=-np.inf) > r.min(axis=1, initial=np.inf)

    def rows_of(rows: slice) -> Block:
        sxy = (centred[rows, None, :] * centred[None, :, :]).sum(axis=2)
        denominator = np.sqrt(squares[rows, None] * squares[None, :])
        valid = (bars >= MIN_COMMON_BARS) & (varies[rows, None] & varies[None, :])
        return sxy, denominator, valid & (denominator > 0.0)

    return rows_of


def _masked_rows(r: np.ndarray, have: np.ndarray) -> Callable[[slice], Block]:
    values = np.where(have, r, 0.0)

    def rows_of(rows: slice) -> Block:
        both = have[rows, None, :] & have[None, :, :]  # (row, partner, bar)
        count = both.sum(axis=2)
        x = np.where(both, values[rows, None, :], 0.0)
        y = np.where(both, values[None, :, :], 0.0)
        safe = np.maximum(count, 1)[:, :, None]
        dx = np.where(both, x - x.sum(axis=2, keepdims=True) / safe, 0.0)
        dy = np.where(both, y - y.sum(axis=2, keepdims=True) / safe, 0.0)
        sxy = (dx * dy).sum(axis=2)
        denominator = np.sqrt((dx * dx).sum(axis=2) * (dy * dy).sum(axis=2))
        # A constant side must be caught exactly: its centred values are rounding noise, not 0.
        varies = _varies(x, both) & _varies(y, both)
        return sxy, denominator, (count >= MIN_COMMON_BARS) & varies & (denominator > 0.0)

    return rows_of


def pairs_over(
    corr: npt.ArrayLike, names: Sequence[str], limit: float
) -> list[tuple[str, str, float]]:
    """Pairs (i < j) with rho > limit, highest first; negative correlation is not flagged.

    Only positive co-movement concentrates risk in a long-biased book, so the test is signed.
    Ties are ordered by name for a stable result; NaN correlations never qualify.
    """
    c = _square(corr, names)
    rows, cols = np.triu_indices(len(names), k=1)
    found = [
        (names[i], names[j], float(c[i, j]))
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True)
        if c[i, j] > limit
    ]
    return sorted(found, key=lambda pair: (-pair[2], pair[0], pair[1]))


def average_pairwise(corr: npt.ArrayLike) -> float | None:
    """Mean of the upper triangle (i < j) ignoring NaN; None when no pair has a value."""
    c = _matrix(corr, "corr")
    upper = c[np.triu_indices(c.shape[0], k=1)]
    upper = upper[~np.isnan(upper)]
    return float(upper.mean()) if upper.size else None


def clusters(corr: npt.ArrayLike, names: Sequence[str], limit: float) -> list[list[str]]:
    """Connected components of the graph linking pairs with rho > limit, singletons included.

    Linking is transitive: a-b and b-c above the limit put a, b and c together even if a-c is
    not. Each cluster is sorted by name and clusters are ordered by their first name.
    """
    c = _square(corr, names)
    parent = list(range(len(names)))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    rows, cols = np.nonzero(np.triu(c > limit, k=1))
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        parent[root(i)] = root(j)
    groups: dict[int, list[str]] = {}
    for k, name in enumerate(names):
        groups.setdefault(root(k), []).append(name)
    return sorted((sorted(group) for group in groups.values()), key=lambda group: group[0])


def beta(returns_row: npt.ArrayLike, benchmark_row: npt.ArrayLike) -> float | None:
    """Regression slope cov(r, b) / var(b) over the bars both have.

    None with fewer than MIN_COMMON_BARS common bars or a constant benchmark on them.
    """
    r = np.asarray(returns_row, dtype=float)
    b = np.asarray(benchmark_row, dtype=float)
    if r.shape != b.shape or r.ndim != 1:
        raise ValueError(f"need two 1-D rows of equal length, got {r.shape} and {b.shape}")
    both = ~np.isnan(r) & ~np.isnan(b)
    if np.count_nonzero(both) < MIN_COMMON_BARS:
        return None
    r, b = r[both], b[both]
    if np.ptp(b) == 0.0:  # exact test: centring a constant leaves rounding noise, not zeros
        return None
    db = b - b.mean()
    return float((r - r.mean()) @ db) / float(db @ db)
