"""percentile_rank: 0 for the worst, 100 for the best, ties averaged, NaN kept."""

from __future__ import annotations

import numpy as np
import pytest

from app.scoring.normalise import (
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER,
    percentile_rank,
    percentile_rank_each,
)

NAN = np.nan


def assert_ranks(actual: np.ndarray, expected: list[float]) -> None:
    np.testing.assert_allclose(actual, np.array(expected), rtol=0, atol=1e-12)


class TestPercentileRank:
    def test_distinct_values_spread_evenly(self) -> None:
        assert_ranks(percentile_rank(np.array([30.0, 10.0, 20.0])), [100.0, 0.0, 50.0])

    def test_higher_is_better_is_the_default(self) -> None:
        values = np.array([3.0, 1.0, 2.0, 5.0])
        assert_ranks(percentile_rank(values), percentile_rank(values, HIGHER_IS_BETTER).tolist())

    def test_lower_is_better_reverses_order(self) -> None:
        assert_ranks(
            percentile_rank(np.array([30.0, 10.0, 20.0]), LOWER_IS_BETTER), [0.0, 100.0, 50.0]
        )

    def test_ties_share_their_average_rank(self) -> None:
        # 1-based ranks 1, 2.5, 2.5, 4 over 4 values
        assert_ranks(percentile_rank(np.array([1.0, 2.0, 2.0, 3.0])), [0.0, 50.0, 50.0, 100.0])

    def test_three_way_tie_at_the_top(self) -> None:
        # ranks 1, 3, 3, 3 of 4: (3 - 1) / 3 * 100
        assert_ranks(
            percentile_rank(np.array([0.0, 9.0, 9.0, 9.0])), [0.0, 200 / 3, 200 / 3, 200 / 3]
        )

    def test_all_equal_values_score_50(self) -> None:
        assert_ranks(percentile_rank(np.full(5, 4.2)), [50.0] * 5)

    def test_nan_stays_nan_and_is_not_counted(self) -> None:
        assert_ranks(percentile_rank(np.array([3.0, NAN, 1.0, 2.0])), [100.0, NAN, 0.0, 50.0])

    def test_single_value_scores_50(self) -> None:
        assert_ranks(percentile_rank(np.array([123.0])), [50.0])

    def test_single_measured_value_among_nans_scores_50(self) -> None:
        assert_ranks(percentile_rank(np.array([NAN, -7.0, NAN]), LOWER_IS_BETTER), [NAN, 50.0, NAN])

    def test_all_nan_stays_nan(self) -> None:
        assert np.isnan(percentile_rank(np.array([NAN, NAN]))).all()

    def test_empty_input_gives_empty_output(self) -> None:
        assert percentile_rank(np.array([])).shape == (0,)

    def test_directions_mirror_each_other(self) -> None:
        values = np.array([5.0, 1.0, 3.0, 3.0, NAN, 8.0, -2.0, 5.0, 0.5])
        higher = percentile_rank(values, HIGHER_IS_BETTER)
        lower = percentile_rank(values, LOWER_IS_BETTER)
        finite = np.isfinite(values)
        np.testing.assert_allclose(lower[finite], 100.0 - higher[finite], atol=1e-12)
        assert np.isnan(lower[~finite]).all()
        assert np.isnan(higher[~finite]).all()

    def test_inf_ranks_worst_when_lower_is_better(self) -> None:
        assert_ranks(
            percentile_rank(np.array([5.0, np.inf, 1.0]), LOWER_IS_BETTER), [50.0, 0.0, 100.0]
        )

    def test_inf_ranks_best_when_higher_is_better(self) -> None:
        assert_ranks(percentile_rank(np.array([5.0, np.inf, 1.0])), [50.0, 100.0, 0.0])

    def test_infinities_tie_with_each_other(self) -> None:
        assert_ranks(
            percentile_rank(np.array([np.inf, 1.0, np.inf]), LOWER_IS_BETTER), [25.0, 100.0, 25.0]
        )

    def test_input_is_not_modified(self) -> None:
        values = np.array([2.0, NAN, 1.0])
        percentile_rank(values, LOWER_IS_BETTER)
        assert_ranks(values, [2.0, NAN, 1.0])

    @pytest.mark.parametrize("direction", [HIGHER_IS_BETTER, LOWER_IS_BETTER])
    def test_ranks_stay_within_0_and_100(self, direction: int) -> None:
        values = np.random.default_rng(7).normal(size=50)
        result = percentile_rank(values, direction)
        assert result.min() == 0.0
        assert result.max() == 100.0


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
