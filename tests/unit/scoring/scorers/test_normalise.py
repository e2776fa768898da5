"""percentile_rank_each: the ranks of several metrics at once, each its own to the bit."""

from __future__ import annotations

import numpy as np

from app.scoring.scorers.normalise import HIGHER_IS_BETTER, LOWER_IS_BETTER, percentile_rank_each
from app.stats.rank import percentile_rank


def test_ranking_several_together_gives_each_ones_ranks_to_the_bit() -> None:
    rng = np.random.default_rng(0)
    for _ in range(300):
        n, shared = int(rng.integers(0, 30)), rng.random(30) < 0.2
        values, directions = [], []
        for kind in rng.integers(0, 5, int(rng.integers(1, 8))):
            v = rng.normal(size=n)
            if kind == 1:  # ties
                v = np.round(v, 1)
            elif kind == 2:  # infinite values among finite ones
                v[rng.random(n) < 0.3] = np.inf
            elif kind == 3:  # nothing measured
                v[:] = np.nan
            missing = shared[:n] if rng.random() < 0.7 else rng.random(n) < 0.3
            v = np.where(missing, np.nan, v)
            if kind == 4 and n:  # one value measured
                v[:] = np.nan
                v[rng.integers(0, n)] = 1.0
            values.append(v)
            directions.append(int(rng.choice([HIGHER_IS_BETTER, LOWER_IS_BETTER])))
        together = percentile_rank_each(values, directions)
        for v, d, ranks in zip(values, directions, together, strict=True):
            assert percentile_rank(v, d).tobytes() == ranks.tobytes()
