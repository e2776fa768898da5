"""Percentile ranks (0 for the worst, 100 for the best, ties averaged, NaN kept), and rank
correlations gathered in batches, which are `spearman` of each pair to the bit."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app.scoring.scorers.normalise import HIGHER_IS_BETTER, LOWER_IS_BETTER
from app.stats import rank
from app.stats.rank import SpearmanBatch, percentile_rank
from app.stats.rank import spearman as one_pair

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


def matrices(rng: np.random.Generator, k: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    scores = np.round(rng.normal(size=(k, m)), 1)  # with ties
    scores[0, rng.random(m) < 0.2] = np.nan  # a row with gaps
    scores[1] = np.nan  # never measured
    scores[2] = 50.0  # constant
    scores[3, 2:] = np.nan  # too few values
    scores[4, 0] = np.inf
    targets = rng.normal(size=(2, m))
    targets[1, rng.random(m) < 0.1] = np.nan
    return scores, targets


def expected(scores: np.ndarray, targets: np.ndarray) -> list[list[float]]:
    return [[one_pair(row, target) for row in scores] for target in targets]


def same(got: np.ndarray, want: list[list[float]]) -> bool:
    return all(
        (math.isnan(a) and math.isnan(b)) or a == b
        for g, w in zip(got.tolist(), want, strict=True)
        for a, b in zip(g, w, strict=True)
    )


class TestSpearmanBatch:
    def test_every_pair_is_spearman_of_the_pair(self) -> None:
        rng, batch = np.random.default_rng(4), SpearmanBatch()
        added = [matrices(rng, 9, int(m)) for m in rng.integers(3, 60, 25)]
        for scores, targets in added:
            batch.add(scores, targets)
        results = batch.results()
        assert len(results) == len(added)
        for got, (scores, targets) in zip(results, added, strict=True):
            assert same(got, expected(scores, targets))

    @pytest.mark.parametrize("gaps", ["none", "the same", "different"])
    def test_targets_with_the_same_or_other_gaps(self, gaps: str) -> None:
        rng, batch = np.random.default_rng(6), SpearmanBatch()
        added = []
        for m in (8, 30, 31):
            scores, targets = matrices(rng, 6, m)
            targets = rng.normal(size=(3, m))
            if gaps != "none":
                targets[:, rng.random(m) < 0.2] = np.nan
            if gaps == "different":
                targets[1, 0] = np.nan if np.isfinite(targets[1, 0]) else 1.0
            added.append((scores, targets))
            batch.add(scores, targets)
        for got, (scores, targets) in zip(batch.results(), added, strict=True):
            assert same(got, expected(scores, targets))

    def test_batches_of_any_size_agree(self, monkeypatch: pytest.MonkeyPatch) -> None:
        rng = np.random.default_rng(5)
        added = [matrices(rng, 7, 20) for _ in range(12)]
        whole = SpearmanBatch()
        for scores, targets in added:
            whole.add(scores, targets)
        monkeypatch.setattr(rank, "FLUSH_ELEMENTS", 150)  # a batch every one or two
        pieces = SpearmanBatch()
        for scores, targets in added:
            pieces.add(scores, targets)
        for a, b in zip(whole.results(), pieces.results(), strict=True):
            np.testing.assert_array_equal(a, b)
