"""The Newey-West statistics against statsmodels', the paired regression, and the percentile
among random draws."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from app.stats.hac import hac_t, mean_hac, newey_west_lags, ols_hac, percentile_among
from app.stats.ic import mean_t
from app.stats.nulls import null_distribution
from app.stats.skill import paired, regression

PER_YEAR = 365.0


def autocorrelated(n: int, seed: int, mean: float = 0.0) -> np.ndarray:
    """A fixed MA(3) series: neighbouring values share shocks, as persistent ICs do."""
    shocks = np.random.default_rng(seed).normal(size=n + 3)
    return mean + np.convolve(shocks, [1.0, 0.6, 0.4, 0.2], "valid") / 10


def with_constant(x: np.ndarray) -> np.ndarray:
    """`x` after a column of ones (statsmodels' `add_constant`)."""
    return np.column_stack([np.ones(len(x)), x])


def reference(y: np.ndarray, x: np.ndarray, lags: int) -> Any:
    """statsmodels' OLS with the Newey-West covariance (Bartlett, n / (n - k) correction).

    Imported here, not at the top: statsmodels.api (scipy.stats and all) took 4 s of CPU in
    every test worker that collected this file, whether or not it ran a test of it."""
    import statsmodels.api as sm

    return sm.OLS(y, x).fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True})


class TestNeweyWest:
    def test_the_lag_rule_is_floor_of_four_times_n_over_100_to_the_two_ninths(self) -> None:
        expected = {2: 1, 13: 2, 30: 3, 100: 4, 365: 5, 850: 6}
        assert {n: newey_west_lags(n) for n in expected} == expected
        assert newey_west_lags(1) == 0 and newey_west_lags(0) == 0

    @pytest.mark.parametrize("lags", [0, 1, 3, 7])
    def test_a_regression_s_standard_errors_are_statsmodels(self, lags: int) -> None:
        x = np.random.default_rng(1).normal(size=200)
        y = 0.1 + 0.5 * x + autocorrelated(200, 2)
        design = with_constant(x)
        coef, cov = ols_hac(y, design, lags)
        fitted = reference(y, design, lags)
        assert coef == pytest.approx(fitted.params, rel=1e-10)
        assert np.sqrt(np.diag(cov)) == pytest.approx(fitted.bse, rel=1e-10)

    def test_a_mean_s_hac_t_is_statsmodels_with_the_rule_s_lags(self) -> None:
        ics = autocorrelated(365, 3, mean=0.01)
        fitted = reference(ics, np.ones((365, 1)), newey_west_lags(365))
        assert mean_t(ics.tolist())["t_hac"] == pytest.approx(fitted.tvalues[0], rel=1e-9)
        assert hac_t(ics) == pytest.approx(fitted.tvalues[0], rel=1e-12)

    def test_without_lags_a_mean_s_hac_t_is_the_plain_t(self) -> None:
        values = autocorrelated(50, 4, mean=0.02)
        plain = values.mean() / (values.std(ddof=1) / math.sqrt(values.size))
        assert hac_t(values, lags=0) == pytest.approx(plain, rel=1e-12)

    def test_persistent_ics_get_a_smaller_hac_t_than_the_plain_one(self) -> None:
        figures = mean_t(autocorrelated(365, 5, mean=0.05).tolist())
        assert 0 < figures["t_hac"] < 0.8 * figures["t"]

    def test_alpha_s_hac_t_is_statsmodels_intercept_t(self) -> None:
        universe = np.random.default_rng(6).normal(0.0, 0.02, 300)
        book = 0.0005 + 0.8 * universe + autocorrelated(300, 7) / 10
        fitted = reference(book, with_constant(universe), newey_west_lags(300))
        figures = regression(book, universe, PER_YEAR)
        assert figures["alpha_t_hac"] == pytest.approx(fitted.tvalues[0], rel=1e-8)
        assert figures["alpha_se_hac"] == pytest.approx(fitted.bse[0], abs=1e-10)  # rounded
        assert figures["alpha"] == pytest.approx(fitted.params[0], abs=1e-10)

    def test_lagged_products_stay_within_a_block(self) -> None:
        values = np.concatenate([autocorrelated(40, 8, 0.01), autocorrelated(60, 9, -0.005)])
        blocks = np.repeat([0, 1], [40, 60])
        lags = 3
        u = values - values.mean()
        meat = 0.0
        for part in (u[:40], u[40:]):
            meat += part @ part
            for lag in range(1, lags + 1):
                meat += 2 * (1 - lag / (lags + 1)) * (part[lag:] @ part[:-lag])
        expected = math.sqrt(meat / values.size**2 * values.size / (values.size - 1))
        assert mean_hac(values, lags, blocks)[1] == pytest.approx(expected, rel=1e-12)
        assert mean_hac(values, lags)[1] != pytest.approx(expected, rel=1e-6)

    def test_under_two_values_there_is_no_t(self) -> None:
        assert math.isnan(hac_t(np.array([0.1])))
        assert mean_t([0.1]) == {"mean": 0.1, "t": None, "t_hac": None, "n": 1}


class TestPaired:
    universe = np.random.default_rng(10).normal(0.0, 0.02, 250)
    default = 0.0002 + 0.9 * universe + np.random.default_rng(11).normal(0, 0.01, 250)
    book = default + 0.0003 + 0.1 * universe + autocorrelated(250, 12) / 50

    def test_the_intercept_is_exactly_the_difference_of_the_two_alphas(self) -> None:
        figures = paired(self.book, self.default, self.universe, PER_YEAR)
        own = regression(self.book, self.universe, PER_YEAR)
        theirs = regression(self.default, self.universe, PER_YEAR)
        assert figures["alpha_lead"] == pytest.approx(own["alpha"] - theirs["alpha"], abs=1e-15)
        assert figures["beta_lead"] == pytest.approx(own["beta"] - theirs["beta"], abs=1e-9)
        assert figures["n"] == 250
        # Unrounded: OLS is linear in y, so the intercepts subtract to the last bits.
        design = with_constant(self.universe)
        lead = ols_hac(self.book - self.default, design)[0][0]
        alphas = ols_hac(self.book, design)[0][0] - ols_hac(self.default, design)[0][0]
        assert lead == pytest.approx(alphas, abs=1e-17)

    def test_its_t_is_statsmodels_hac_t_of_the_difference(self) -> None:
        figures = paired(self.book, self.default, self.universe, PER_YEAR)
        fitted = reference(
            self.book - self.default, with_constant(self.universe), newey_west_lags(250)
        )
        assert figures["alpha_lead_t_hac"] == pytest.approx(fitted.tvalues[0], rel=1e-8)
        assert figures["alpha_lead_annualised"] == pytest.approx(
            fitted.params[0] * PER_YEAR, rel=1e-8
        )

    def test_the_paired_standard_error_is_far_below_either_alpha_s(self) -> None:
        figures = paired(self.book, self.default, self.universe, PER_YEAR)
        own = regression(self.book, self.universe, PER_YEAR)
        assert figures["alpha_lead_se_hac"] < own["alpha_se_hac"] / 2

    def test_periods_unknown_in_any_of_the_three_are_left_out(self) -> None:
        book = self.book.copy()
        book[:5] = np.nan
        figures = paired(book, self.default, self.universe, PER_YEAR)
        whole = paired(self.book[5:], self.default[5:], self.universe[5:], PER_YEAR)
        assert figures == whole


class TestAmongDraws:
    def test_the_percentile_counts_draws_below_and_ties_as_half(self) -> None:
        draws = np.array([0.1, 0.2, 0.3, 0.3, 0.5])
        assert percentile_among(0.3, draws) == pytest.approx(100 * (2 + 1) / 5)
        assert percentile_among(0.6, draws) == 100.0
        assert percentile_among(0.0, draws) == 0.0
        assert percentile_among(0.4, np.array([0.1, np.nan, 0.5])) == 50.0
        assert math.isnan(percentile_among(math.nan, draws))

    def test_a_track_is_placed_among_the_draws_return_sharpe_and_alpha(self) -> None:
        universe = np.array([0.01, -0.02, 0.03, 0.0, 0.01, -0.01])
        # Four draws: the universe plus a constant a period (alpha = that constant, beta 1,
        # Sharpe rising with it); the policy's constant lies between the 2nd and 3rd.
        shifts = np.array([-0.002, 0.0, 0.002, 0.004])
        draws = universe[None, :] + shifts[:, None]
        policy = universe + 0.001
        figures = null_distribution({"policy": policy}, draws, universe, PER_YEAR)
        assert figures["draws"] == 4
        assert figures["percentile"]["policy"] == {
            "total_return": 50.0,
            "sharpe": 50.0,
            "alpha": 50.0,
        }
        low, middle, high = figures["quantiles"]["alpha"]
        assert middle == pytest.approx(0.001 * PER_YEAR, rel=1e-9)
        assert low < middle < high

    def test_the_best_book_is_at_the_hundredth_percentile(self) -> None:
        universe = np.array([0.01, -0.02, 0.03, 0.0])
        draws = universe[None, :] + np.array([[0.0], [0.001]])
        figures = null_distribution({"policy": universe + 0.01}, draws, universe, PER_YEAR)
        assert figures["percentile"]["policy"]["total_return"] == 100.0
        assert figures["percentile"]["policy"]["alpha"] == 100.0
