"""Spearman correlations of many score rows with their targets, gathered and computed in batches.

`evidence.spearman(row, target)` for every row of every matrix added: the rows are ranked and
correlated together, in blocks of equal length, instead of one pair at a time (the same floats,
see `app.replay.rows`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from app.replay.evidence import MIN_SYMBOLS
from app.replay.rows import correlations, mask_groups, percentile_ranks

FLUSH_ELEMENTS = 1 << 19  # pending score values that trigger a batch (bounds the memory)


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
