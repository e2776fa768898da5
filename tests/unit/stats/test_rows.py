"""Row-wise forms give, bit for bit, what the one-vector code they replace gives row by row."""

from __future__ import annotations

import numpy as np
import pytest

from app.portfolio.maths import correlation
from app.portfolio.maths.correlation import MIN_COMMON_BARS, pairwise_correlation
from app.stats.rank import percentile_rank, percentile_ranks
from app.stats.rows import correlations, dots, mask_groups, matrix_vector

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


class TestPairwiseCorrelation:
    """The one correlation rule, computed a block of rows at a time, is pair for pair the loop
    over rows it replaced (kept here as the reference), whatever the block."""

    @pytest.mark.parametrize("missing", [0.0, 0.05, 0.5])
    @pytest.mark.parametrize("block_cells", [1, 500, 2_000_000])
    def test_is_the_row_loop_bit_for_bit(
        self, missing: float, block_cells: int, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(correlation, "BLOCK_CELLS", block_cells)
        for n, bars in ((1, 10), (2, 2), (7, 168), (18, 169)):
            returns = RNG.normal(0, 0.01, (n, bars))
            returns[RNG.random((n, bars)) < missing] = np.nan
            if n > 2:
                returns[1] = 0.004  # constant
                returns[2] = returns[0] * 3.0  # perfectly correlated
            assert identical(pairwise_correlation(returns), row_loop(returns))


def row_loop(r: np.ndarray) -> np.ndarray:
    """Pairwise-complete Pearson, one row against all at a time (the live code until issue 29)."""
    n = r.shape[0]
    have = ~np.isnan(r)
    values = np.where(have, r, 0.0)
    corr = np.full((n, n), np.nan)
    for i in range(n):
        both = have[i] & have
        count = both.sum(axis=1)
        enough = count >= MIN_COMMON_BARS
        if not enough.any():
            continue
        x = np.where(both, values[i], 0.0)
        y = np.where(both, values, 0.0)
        safe = np.maximum(count, 1)[:, None]
        dx = np.where(both, x - x.sum(axis=1, keepdims=True) / safe, 0.0)
        dy = np.where(both, y - y.sum(axis=1, keepdims=True) / safe, 0.0)
        sxy = (dx * dy).sum(axis=1)
        denominator = np.sqrt((dx * dx).sum(axis=1) * (dy * dy).sum(axis=1))
        varies = varies_on(x, both) & varies_on(y, both)
        valid = enough & varies & (denominator > 0.0)
        corr[i, valid] = np.clip(sxy[valid] / denominator[valid], -1.0, 1.0)
    np.fill_diagonal(corr, 1.0)
    return corr


def varies_on(rows: np.ndarray, mask: np.ndarray) -> np.ndarray:
    high = np.where(mask, rows, -np.inf).max(axis=1, initial=-np.inf)
    low = np.where(mask, rows, np.inf).min(axis=1, initial=np.inf)
    return high > low
