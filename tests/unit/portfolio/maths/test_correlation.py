"""Correlation, clustering and beta against numpy references and hand-worked examples."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app.portfolio.maths import correlation as co

NAN = math.nan


def random_returns(rows: int = 4, bars: int = 50, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    common = rng.normal(0.0, 0.01, bars)
    return common + rng.normal(0.0, 0.01, (rows, bars))


class TestPairwiseCorrelation:
    def test_matches_corrcoef_on_complete_rows(self) -> None:
        r = random_returns()
        assert np.allclose(co.pairwise_correlation(r), np.corrcoef(r), atol=1e-12)

    def test_missing_bar_by_hand(self) -> None:
        # common bars: x = [1, 2, 3, 5], y = [2, 4, 5, 4]; means 2.75 and 3.75
        # dx = [-1.75, -0.75, 0.25, 2.25], dy = [-1.75, 0.25, 1.25, 0.25]
        # sxy = 3.0625 - 0.1875 + 0.3125 + 0.5625 = 3.75; sxx = 8.75; syy = 4.75
        r = np.array([[1.0, 2.0, 3.0, NAN, 5.0], [2.0, 4.0, 5.0, 100.0, 4.0]])
        corr = co.pairwise_correlation(r)
        expected = 3.75 / math.sqrt(8.75 * 4.75)  # 0.581675
        assert corr[0, 1] == pytest.approx(expected)
        assert corr[1, 0] == corr[0, 1]

    def test_missing_bars_match_corrcoef_of_common_bars(self) -> None:
        r = random_returns(3, 40)
        r[0, [3, 9]] = NAN
        r[2, [9, 20, 21]] = NAN
        common = ~np.isnan(r[0]) & ~np.isnan(r[2])
        expected = np.corrcoef(r[0, common], r[2, common])[0, 1]
        assert co.pairwise_correlation(r)[0, 2] == pytest.approx(expected)

    def test_nan_below_three_common_bars(self) -> None:
        r = np.array([[0.01, 0.02, NAN, 0.03], [0.02, NAN, 0.01, 0.05]])
        corr = co.pairwise_correlation(r)
        assert math.isnan(corr[0, 1])
        assert corr[0, 0] == corr[1, 1] == 1.0

    def test_nan_for_a_constant_row(self) -> None:
        r = np.array([[0.1, 0.1, 0.1, 0.1], [0.01, 0.03, 0.02, 0.05]])
        assert math.isnan(co.pairwise_correlation(r)[0, 1])

    def test_diagonal_is_one(self) -> None:
        assert np.diag(co.pairwise_correlation(random_returns())).tolist() == [1.0] * 4


# Crafted for clustering: btc-eth and eth-sol are above 0.7, btc-sol (0.6) is not but joins
# through eth; doge-xrp is strongly negative (no link); sol-xrp is unknown (NaN, no link).
NAMES = ["sol", "btc", "eth", "doge", "xrp"]
CORR = np.array(
    [
        [1.0, 0.6, 0.8, 0.1, NAN],
        [0.6, 1.0, 0.9, 0.1, 0.1],
        [0.8, 0.9, 1.0, 0.1, 0.1],
        [0.1, 0.1, 0.1, 1.0, -0.9],
        [NAN, 0.1, 0.1, -0.9, 1.0],
    ]
)


class TestPairsOver:
    def test_positive_pairs_sorted_desc(self) -> None:
        assert co.pairs_over(CORR, NAMES, 0.7) == [("btc", "eth", 0.9), ("sol", "eth", 0.8)]

    def test_limit_is_strict(self) -> None:
        assert co.pairs_over(CORR, NAMES, 0.8) == [("btc", "eth", 0.9)]

    def test_strong_negative_correlation_is_not_flagged(self) -> None:
        # doge-xrp at -0.9 has |rho| > 0.7 but offsets rather than concentrates risk
        pairs = co.pairs_over(CORR, NAMES, 0.7)
        assert all({a, b} != {"doge", "xrp"} for a, b, _ in pairs)

    def test_names_must_match_matrix(self) -> None:
        with pytest.raises(ValueError, match="names"):
            co.pairs_over(CORR, NAMES[:4], 0.7)


class TestAveragePairwise:
    def test_mean_of_upper_triangle(self) -> None:
        # (0.9 + 0.75 - 0.95) / 3
        corr = np.array([[1.0, 0.9, 0.75], [0.9, 1.0, -0.95], [0.75, -0.95, 1.0]])
        assert co.average_pairwise(corr) == pytest.approx(0.7 / 3)

    def test_nan_is_ignored(self) -> None:
        # (0.9 + 0.75) / 2, the NaN pair left out
        corr = np.array([[1.0, 0.9, 0.75], [0.9, 1.0, NAN], [0.75, NAN, 1.0]])
        assert co.average_pairwise(corr) == pytest.approx(0.825)

    def test_none_for_single_member(self) -> None:
        assert co.average_pairwise(np.array([[1.0]])) is None


class TestClusters:
    def test_transitive_components_with_singletons(self) -> None:
        assert co.clusters(CORR, NAMES, 0.7) == [["btc", "eth", "sol"], ["doge"], ["xrp"]]

    def test_higher_limit_splits_the_chain(self) -> None:
        assert co.clusters(CORR, NAMES, 0.85) == [["btc", "eth"], ["doge"], ["sol"], ["xrp"]]

    def test_everything_alone_above_all_correlations(self) -> None:
        assert co.clusters(CORR, NAMES, 0.99) == [["btc"], ["doge"], ["eth"], ["sol"], ["xrp"]]


class TestBeta:
    def test_matches_numpy_cov(self) -> None:
        rng = np.random.default_rng(7)
        bench = rng.normal(0.0, 0.01, 200)
        row = 1.5 * bench + rng.normal(0.0, 0.005, 200)
        expected = np.cov(row, bench)[0, 1] / np.var(bench, ddof=1)
        assert co.beta(row, bench) == pytest.approx(float(expected))

    def test_common_bars_by_hand(self) -> None:
        # bar 2 missing in row: b = [0.01, 0.02, 0, 0.01], r = [0.03, 0.03, 0, 0.02]
        # db = [0, 0.01, -0.01, 0], dr = [0.01, 0.01, -0.02, 0]
        # sum(dr * db) = 0.0003, sum(db^2) = 0.0002 -> 1.5
        row = [0.03, 0.03, NAN, 0.0, 0.02]
        bench = [0.01, 0.02, 0.5, 0.0, 0.01]
        assert co.beta(row, bench) == pytest.approx(1.5)

    def test_none_for_constant_benchmark(self) -> None:
        assert co.beta([0.01, 0.02, 0.03], [0.1, 0.1, 0.1]) is None

    def test_none_below_three_common_bars(self) -> None:
        assert co.beta([0.01, 0.02, NAN], [0.01, 0.03, 0.02]) is None
