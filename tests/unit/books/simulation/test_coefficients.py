"""Betas for the information coefficient are `app.portfolio.maths.correlation.beta` row by row."""

from __future__ import annotations

import numpy as np

from app.books.simulation.coefficients import betas
from app.portfolio.maths.correlation import beta


class TestBetas:
    def test_each_row_is_the_portfolio_beta(self) -> None:
        rng = np.random.default_rng(8)
        benchmark = rng.normal(0, 0.01, 168)
        returns = 0.8 * benchmark + rng.normal(0, 0.01, (12, 168))
        returns[1, :100] = np.nan  # listed lately
        returns[2, rng.random(168) < 0.3] = np.nan  # gaps
        returns[3, 2:] = np.nan  # too few bars
        returns[4] = np.nan
        for bench in (benchmark, np.where(rng.random(168) < 0.1, np.nan, benchmark)):
            got = betas(returns, bench)
            for row, value in zip(returns, got.tolist(), strict=True):
                want = beta(row, bench)
                assert (np.isnan(value) and want is None) or value == want

    def test_rows_without_gaps_and_too_few_bars(self) -> None:
        rng = np.random.default_rng(9)
        for bars in (2, 3, 168):
            benchmark = rng.normal(0, 0.01, bars)
            returns = 1.1 * benchmark + rng.normal(0, 0.01, (6, bars))
            got = betas(returns, benchmark)
            for row, value in zip(returns, got.tolist(), strict=True):
                want = beta(row, benchmark)
                assert (np.isnan(value) and want is None) or value == want

    def test_a_constant_benchmark_gives_no_beta(self) -> None:
        returns = np.random.default_rng(1).normal(0, 0.01, (3, 20))
        assert np.isnan(betas(returns, np.full(20, 0.002))).all()
