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
