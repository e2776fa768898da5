"""Row-wise forms of per-vector numpy code, for many rows at once with the same floats.

Each function does, row by row, exactly the arithmetic of the one-vector code it replaces (the
same reductions along a contiguous last axis, and the same BLAS routine per row through
numpy's stacked `vecdot`/`matmul`), so a replay's results do not move by a bit when it batches
them; tests compare both forms bit for bit.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np


def mask_groups(mask: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The rows of a `(k, m)` boolean mask grouped by pattern: (row indices, true columns)."""
    if mask.shape[0] == 0:
        return
    first = mask[0]
    if (mask == first).all():  # the usual case: every row has the same columns
        yield np.arange(mask.shape[0]), np.flatnonzero(first)
        return
    # Grouped on each row's packed bytes in a dict (`np.unique(axis=0)` sorts a structured
    # view, far slower for these few rows), the patterns in the same (bytewise) order.
    groups: dict[bytes, list[int]] = {}
    for row, pattern in enumerate(np.packbits(mask, axis=1)):
        groups.setdefault(pattern.tobytes(), []).append(row)
    for pattern in sorted(groups):
        rows = np.array(groups[pattern], dtype=np.int64)
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
    products: np.ndarray = np.vecdot(a, b)
    return products


def matrix_vector(matrices: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """`matrices[i].T @ vectors[i]` for `(k, p, h)` C-ordered `matrices` (each `.T` is the
    Fortran-ordered view the one-matrix product uses) and `(k, p)` vectors: `(k, h)`."""
    products: np.ndarray = np.matmul(matrices.transpose(0, 2, 1), vectors[:, :, None])
    return products[:, :, 0]
