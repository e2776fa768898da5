"""Row-wise forms give, bit for bit, what the one-vector code they replace gives row by row."""

from __future__ import annotations

import numpy as np
import pytest

from app.portfolio.correlation import pairwise_correlation
from app.replay.rows import (
    correlations,
    dots,
    mask_groups,
    matrix_vector,
    pairwise_correlations,
    percentile_ranks,
)
from app.scoring.normalise import percentile_rank

RNG = np.random.default_rng(20)


def identical(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))


class TestMaskGroups:
    def test_groups_rows_by_pattern(self) -> None:
        mask = np.array([[1, 0, 1], [1, 1, 1], [1, 0, 1], [0, 0, 0]], dtype=bool)
        groups = {tuple(rows.tolist()): cols.tolist() for rows, cols in mask_groups(mask)}
        assert groups == {(0, 2): [0, 2], (1,): [0, 1, 2], (3,): []}

    def test_one_group_when_every_row_is_alike(self) -> None:
        [(rows, cols)] = mask_groups(np.ones((3, 4), dtype=bool))
        assert rows.tolist() == [0, 1, 2] and cols.tolist() == [0, 1, 2, 3]


class TestPercentileRanks:
    @pytest.mark.parametrize("decimals", [None, 1, 0])
    def test_each_row_is_percentile_rank_of_that_row(self, decimals: int | None) -> None:
        values = RNG.normal(size=(40, 57))
        if decimals is not None:
            values = np.round(values, decimals)  # ties, and -0.0 next to 0.0
        values[3] = 2.5  # a constant row
        ranks, varies = percentile_ranks(values)
        for row, ranked, row_varies in zip(values, ranks, varies, strict=True):
            expected = percentile_rank(row)
            assert identical(ranked, expected)
            assert row_varies == (expected.std() != 0)


class TestCorrelations:
    def test_each_pair_is_numpys_corrcoef(self) -> None:
        for m in (3, 16, 17, 150):
            rows, others = RNG.normal(size=(20, m)), RNG.normal(size=(20, m))
            got = correlations(rows, others)
            expected = [np.corrcoef(r, o)[0, 1] for r, o in zip(rows, others, strict=True)]
            assert got.tolist() == expected

    def test_one_row_stands_for_all(self) -> None:
        rows, other = RNG.normal(size=(5, 30)), RNG.normal(size=30)
        assert correlations(rows, other).tolist() == [np.corrcoef(r, other)[0, 1] for r in rows]


class TestProducts:
    @pytest.mark.parametrize("k", [1, 2, 9, 15, 16, 17, 40, 151])
    def test_dots_are_the_one_row_dot(self, k: int) -> None:
        a, b = RNG.uniform(0, 9, (30, k)), RNG.uniform(1, 900, (30, k))
        assert dots(a, b).tolist() == [float(x @ y) for x, y in zip(a, b, strict=True)]

    @pytest.mark.parametrize(("k", "hours"), [(1, 1), (10, 1), (17, 1), (10, 24), (40, 168)])
    def test_matrix_vector_is_the_one_matrix_product(self, k: int, hours: int) -> None:
        matrices, vectors = RNG.uniform(1, 900, (12, k, hours)), RNG.uniform(0, 9, (12, k))
        got = matrix_vector(matrices, vectors)
        for g, m, v in zip(got, matrices, vectors, strict=True):
            assert g.tolist() == (np.ascontiguousarray(m).T @ v).tolist()


class TestPairwiseCorrelations:
    @pytest.mark.parametrize("missing", [0.0, 0.05, 0.5])
    def test_is_the_portfolio_pairwise_correlation(self, missing: float) -> None:
        for n, bars in ((1, 10), (2, 2), (7, 168), (18, 169)):
            returns = RNG.normal(0, 0.01, (n, bars))
            returns[RNG.random((n, bars)) < missing] = np.nan
            if n > 2:
                returns[1] = 0.004  # constant
                returns[2] = returns[0] * 3.0  # perfectly correlated
            assert identical(pairwise_correlations(returns), pairwise_correlation(returns))
