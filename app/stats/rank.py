"""Ranks and rank correlation: percentile ranks (ties averaged), the Spearman correlation of two
vectors, and of many score rows with their targets gathered and computed in batches.

`SpearmanBatch` gives `spearman(row, target)` for every row of every matrix added: the rows are
ranked and correlated together, in blocks of equal length, instead of one pair at a time (the
same floats, see `app.stats.rows`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from app.stats.rows import correlations, mask_groups

MIN_SYMBOLS = 3  # fewer scored symbols with a forward return and an IC says nothing
FLUSH_ELEMENTS = 1 << 19  # pending score values that trigger a batch (bounds the memory)


def percentile_rank(values: np.ndarray, direction: int = 1) -> np.ndarray:
    """0 for the worst, 100 for the best of the finite-or-infinite values; NaN stays NaN
    (`direction` -1: the lowest is the best).

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


def percentile_ranks(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`percentile_rank` of each row of a `(k, m)` array of finite values (m >= 2), with
    whether each row varies (else all its ranks are 50)."""
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


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Rank correlation over the pairs where both are known (ties share their mean rank)."""
    both = np.isfinite(x) & np.isfinite(y)
    if both.sum() < MIN_SYMBOLS:
        return math.nan
    rx, ry = percentile_rank(x[both]), percentile_rank(y[both])
    if rx.std() == 0 or ry.std() == 0:
        return math.nan
    return float(np.corrcoef(rx, ry)[0, 1])


@dataclass
class _Width:
    """Pairs whose common values number the same: ranked and correlated together."""

    scores: list[np.ndarray] = field(default_factory=list)  # (g, c) blocks
    targets: list[np.ndarray] = field(default_factory=list)  # (c,) each
    score_rows: list[np.ndarray] = field(default_factory=list)  # per pair: row in the blocks
    target_rows: list[np.ndarray] = field(default_factory=list)  # per pair: target
    destinations: list[np.ndarray] = field(default_factory=list)  # per pair: flat result index
    stacked: int = 0  # score rows so far


class SpearmanBatch:
    """Rank correlations of `(k, m)` scores with `(p, m)` targets, computed in batches."""

    def __init__(self) -> None:
        self._pending: list[tuple[np.ndarray, np.ndarray]] = []
        self._size = 0
        self._results: list[np.ndarray] = []

    def add(self, scores: np.ndarray, targets: np.ndarray) -> None:
        """Queue `spearman(scores[i], targets[j])` for every i, j."""
        self._pending.append((scores, targets))
        self._size += scores.size
        if self._size >= FLUSH_ELEMENTS:
            self._flush()

    def results(self) -> list[np.ndarray]:
        """`(p, k)` per `add`, in order (NaN where `spearman` is NaN)."""
        self._flush()
        return self._results

    def _flush(self) -> None:
        widths: dict[int, _Width] = {}
        outputs = [np.full((t.shape[0], s.shape[0]), np.nan) for s, t in self._pending]
        offsets = np.cumsum([0] + [o.size for o in outputs])
        for (scores, targets), offset in zip(self._pending, offsets.tolist(), strict=False):
            _gather(widths, scores, targets, offset)
        flat = np.concatenate([o.ravel() for o in outputs]) if outputs else np.zeros(0)
        for width in widths.values():
            score_ranks, score_varies = percentile_ranks(np.concatenate(width.scores))
            target_ranks, target_varies = percentile_ranks(np.stack(width.targets))
            rows = np.concatenate(width.score_rows)
            targets_of = np.concatenate(width.target_rows)
            valid = score_varies[rows] & target_varies[targets_of]
            flat[np.concatenate(width.destinations)[valid]] = correlations(
                score_ranks[rows[valid]], target_ranks[targets_of[valid]]
            )
        for output, offset in zip(outputs, offsets.tolist(), strict=False):
            self._results.append(flat[offset : offset + output.size].reshape(output.shape))
        self._pending, self._size = [], 0


def _gather(widths: dict[int, _Width], scores: np.ndarray, targets: np.ndarray, at: int) -> None:
    """File every (row, target) pair with at least MIN_SYMBOLS common values under its width;
    a block of scores is kept once for the targets that share its pairs."""
    k = scores.shape[0]
    finite = np.isfinite(scores)
    blocks: dict[bytes, int] = {}
    known: np.ndarray | None = None  # the last target's finite mask, and its groups
    groups: list[tuple[np.ndarray, np.ndarray, bytes]] = []
    for p, target in enumerate(targets):
        mask = np.isfinite(target)
        if known is None or not np.array_equal(mask, known):
            both = finite & mask
            counted = np.flatnonzero(both.sum(axis=1) >= MIN_SYMBOLS)
            groups = [
                (counted[group], columns, counted[group].tobytes() + b"|" + columns.tobytes())
                for group, columns in mask_groups(both[counted])
            ]
            known = mask
        for rows, columns, key in groups:
            width = widths.get(columns.size) or widths.setdefault(columns.size, _Width())
            every = columns.size == target.size  # every column: rows of them, no 2-D pick
            if key not in blocks:
                blocks[key] = width.stacked
                width.scores.append(scores[rows] if every else scores[np.ix_(rows, columns)])
                width.stacked += rows.size
            width.score_rows.append(blocks[key] + np.arange(rows.size))
            width.target_rows.append(np.full(rows.size, len(width.targets)))
            width.targets.append(target if every else target[columns])
            width.destinations.append(at + p * k + rows)
