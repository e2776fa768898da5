"""Cross-sectional normalisation: each metric becomes a 0-100 percentile rank over the universe."""

from __future__ import annotations

import numpy as np

HIGHER_IS_BETTER = 1
LOWER_IS_BETTER = -1


def percentile_rank(values: np.ndarray, direction: int = HIGHER_IS_BETTER) -> np.ndarray:
    """0 for the worst, 100 for the best of the finite-or-infinite values; NaN stays NaN.

    Ties share their average rank; a lone value scores 50. `+inf` is a valid extreme (an order
    the book cannot fill has infinite impact), NaN means "not measured".
    """
    oriented = values * direction
    valid = ~np.isnan(oriented)
    out = np.full(values.shape, np.nan)
    count = int(valid.sum())
    if count == 0:
        return out
    if count == 1:
        out[valid] = 50.0
        return out
    ranks = _average_ranks(oriented[valid])
    out[valid] = (ranks - 1.0) / (count - 1) * 100.0
    return out


def percentile_rank_each(values: list[np.ndarray], directions: list[int]) -> list[np.ndarray]:
    """`percentile_rank(values[i], directions[i])` of each, the ones measured on the same
    entries ranked together (`percentile_ranks`: the same floats)."""
    if not values:
        return []
    oriented = np.vstack([v * d for v, d in zip(values, directions, strict=True)])
    valid = ~np.isnan(oriented)
    out = np.full(oriented.shape, np.nan)
    groups: dict[bytes, list[int]] = {}
    for i, row in enumerate(valid):
        groups.setdefault(row.tobytes(), []).append(i)
    for members in groups.values():
        rows = np.array(members)
        columns = np.flatnonzero(valid[rows[0]])
        if columns.size == 1:
            out[rows, columns[0]] = 50.0
        elif columns.size > 1:
            block = oriented[np.ix_(rows, columns)]
            out[np.ix_(rows, columns)] = percentile_ranks(block)[0]
    return list(out)


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks, ties given the mean of the ranks they span (like scipy's 'average')."""
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    # Start of each run of equal values.
    new_run = np.empty(ordered.size, dtype=bool)
    new_run[0] = True
    new_run[1:] = ordered[1:] != ordered[:-1]
    run_id = np.cumsum(new_run) - 1
    run_start = np.flatnonzero(new_run)
    run_end = np.append(run_start[1:], ordered.size)
    mean_rank = (run_start + run_end + 1) / 2.0  # mean of 1-based ranks start+1 .. end
    ranks = np.empty(values.size)
    ranks[order] = mean_rank[run_id]
    return ranks


def percentile_ranks(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`app.scoring.normalise.percentile_rank` of each row of a `(k, m)` array of finite values
    (m >= 2), with whether each row varies (else all its ranks are 50)."""
    k, m = values.shape
    # Any sort will do: tied values share the mean rank of their run, whatever their order.
    order = np.argsort(values, axis=1)
    ordered = np.take_along_axis(values, order, axis=1)
    new_run = np.ones((k, m), dtype=bool)
    new_run[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    positions = np.arange(m)
    # Without ties a value's run is itself: (p + (p + 1) + 1) / 2 is exactly p + 1.
    mean_rank = np.repeat((positions + 1.0)[None, :], k, axis=0)
    tied = np.flatnonzero(~new_run.all(axis=1))
    if tied.size:
        runs = new_run[tied]
        last = np.ones_like(runs)
        last[:, :-1] = runs[:, 1:]
        run_start = np.maximum.accumulate(np.where(runs, positions, 0), axis=1)
        run_end = np.minimum.accumulate(np.where(last, positions, m)[:, ::-1], axis=1)[:, ::-1]
        mean_rank[tied] = (run_start + run_end + 2) / 2.0  # of the 1-based ranks start+1 .. end
    ranks = np.empty(k * m)
    ranks[(order + (np.arange(k) * m)[:, None]).ravel()] = mean_rank.ravel()
    percentiles = (ranks.reshape(k, m) - 1.0) / (m - 1) * 100.0
    return percentiles, np.asarray(new_run[:, 1:].any(axis=1))
