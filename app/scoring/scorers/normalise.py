"""Cross-sectional normalisation: each metric becomes a 0-100 percentile rank over the universe
(`app.stats.rank.percentile_rank`, oriented by the metric's direction)."""

from __future__ import annotations

import numpy as np

from app.stats.rank import percentile_ranks

HIGHER_IS_BETTER = 1
LOWER_IS_BETTER = -1


def percentile_rank_each(values: list[np.ndarray], directions: list[int]) -> list[np.ndarray]:
    """`app.stats.rank.percentile_rank(values[i], directions[i])` of each, the ones measured on
    the same entries ranked together (`percentile_ranks`: the same floats)."""
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
