"""Performance figures against small series worked out by hand in the comments, against the
standard library's `statistics`, and, to the bit, against the formulas the replay's evidence and
portfolio analytics each wrote inline before the figures had one home."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest

from app.stats.performance import (
    cagr,
    calmar,
    equity_of,
    max_drawdown,
    mean_turnover,
    row_max_drawdowns,
    row_sharpes,
    row_total_returns,
    row_volatilities,
    sharpe,
    sortino,
    total_return,
    volatility,
)

# r = [0.02, -0.01, 0.03, 0.00]: mean 0.01, deviations 0.01, -0.02, 0.02, -0.01,
# squared sum 0.001, sample variance 0.001 / 3, so mean / std = 0.01 / sqrt(0.001 / 3) = sqrt(0.3).
SERIES = np.array([0.02, -0.01, 0.03, 0.00])
RNG = np.random.default_rng(11)
DAILY = RNG.normal(0.001, 0.03, 400)  # a year and more of daily returns


class TestTotalReturn:
    def test_last_over_first(self) -> None:
        assert total_return(np.array([2.0, 2.5, 3.0])) == pytest.approx(0.5)

    def test_of_compounded_returns(self) -> None:
        # 1.1 * 0.8 * 1.05 = 0.924
        assert total_return(equity_of([0.1, -0.2, 0.05])) == pytest.approx(-0.076)


class TestCagr:
    def test_one_year_is_the_growth(self) -> None:
        assert cagr(1.44, 1.0) == pytest.approx(0.44)

    def test_two_years_compound(self) -> None:
        # sqrt(1.44) - 1: half a span a year
        assert cagr(1.44, 0.5) == pytest.approx(0.2)

    def test_half_a_year_squares(self) -> None:
        assert cagr(1.1, 2.0) == pytest.approx(0.21)

    def test_everything_lost_is_minus_one(self) -> None:
        assert cagr(0.0, 3.0) == -1.0

    def test_more_than_everything_lost_is_no_rate_unless_ruin_is_given(self) -> None:
        assert math.isnan(cagr(-0.5, 2.0))
        assert cagr(-0.5, 2.0, ruin=-1.0) == -1.0
        assert math.isnan(cagr(math.nan, 2.0))
        assert cagr(math.nan, 2.0, ruin=-1.0) == -1.0


class TestVolatility:
    def test_annualised_sample_deviation(self) -> None:
        # sqrt(0.001 / 3) * sqrt(30) = sqrt(0.01)
        assert volatility(SERIES, 30) == pytest.approx(0.1)

    def test_nan_under_two_returns(self) -> None:
        assert math.isnan(volatility(np.array([0.01]), 365))

    def test_is_the_standard_library_s_stdev(self) -> None:
        expected = statistics.stdev(DAILY.tolist()) * math.sqrt(365)
        assert volatility(DAILY, 365) == pytest.approx(expected, rel=1e-12)


class TestSharpe:
    def test_annualised_on_hand_series(self) -> None:
        # sqrt(0.3) per period * sqrt(30 periods a year) = sqrt(9) = 3
        assert sharpe(SERIES, 30) == pytest.approx(3.0)

    def test_risk_free_is_subtracted_per_period(self) -> None:
        # excess mean 0.005, same std: sqrt(0.3) / 2 * sqrt(30) = 1.5
        assert sharpe(SERIES, 30, risk_free=0.005) == pytest.approx(1.5)

    def test_returns_plain_float(self) -> None:
        assert type(sharpe(SERIES, 30)) is float

    def test_none_under_two_returns_or_without_deviation(self) -> None:
        assert sharpe([0.01], 365) is None
        assert sharpe([], 365) is None
        assert sharpe([0.0, 0.0, 0.0], 365) is None

    def test_equal_returns_are_flat_only_when_asked(self) -> None:
        # The sample std of three 0.1s is rounding noise (about 1.6e-17), not a number to divide
        # by: portfolio analytics asks for None; the replay divides by any positive deviation.
        assert sharpe([0.1, 0.1, 0.1], 365, equal_is_flat=True) is None
        assert sharpe([0.1, 0.1, 0.1], 365) == pytest.approx(1.124e17, rel=1e-3)

    def test_is_the_standard_library_s_mean_over_stdev(self) -> None:
        expected = statistics.mean(DAILY.tolist()) / statistics.stdev(DAILY.tolist())
        assert sharpe(DAILY, 365) == pytest.approx(expected * math.sqrt(365), rel=1e-12)


class TestSortino:
    def test_annualised_on_hand_series(self) -> None:
        # min(r, 0) = [0, -0.01, 0, 0]: downside = sqrt(0.0001 / 4) = 0.005 over ALL 4 periods;
        # 0.01 / 0.005 = 2 per period * sqrt(4) = 4
        assert sortino(SERIES, 4) == pytest.approx(4.0)

    def test_target_shifts_the_excess(self) -> None:
        # target 0.005: excess [0.015, -0.015, 0.025, -0.005], mean 0.005;
        # downside^2 = (0.015^2 + 0.005^2) / 4 = 0.0000625; 0.005 / 0.0079057 = sqrt(0.4);
        # sqrt(0.4) * sqrt(10) = 2
        assert sortino(SERIES, 10, target=0.005) == pytest.approx(2.0)

    def test_none_without_downside_or_returns(self) -> None:
        assert sortino([0.01, 0.02, 0.0], 365) is None
        assert sortino([], 365) is None


class TestMaxDrawdown:
    def test_hand_compounded_curve(self) -> None:
        # equity 1 -> 1.1 -> 0.88 -> 0.924 -> 0.462 -> 0.6006; peak 1.1, trough 0.462
        # drawdown = 1 - 0.462 / 1.1 = 1 - 0.42 = 0.58
        assert max_drawdown(equity_of([0.1, -0.2, 0.05, -0.5, 0.3])) == pytest.approx(0.58)

    def test_starting_point_counts_as_peak(self) -> None:
        # equity 1 -> 0.9 -> 0.945: the fall from the initial 1.0 is 0.1
        assert max_drawdown([1.0, 0.9, 0.945]) == pytest.approx(0.1)

    def test_zero_when_never_below_peak(self) -> None:
        assert max_drawdown(equity_of([0.01, 0.0, 0.02])) == 0.0
        assert max_drawdown(equity_of([])) == 0.0

    def test_nan_without_a_point(self) -> None:
        assert math.isnan(max_drawdown([]))


class TestCalmar:
    # equity 1 -> 1.25 -> 1.0 -> 1.2 -> 1.44: growth 1.44, drawdown 1 - 1.0 / 1.25 = 0.2
    CURVE = equity_of([0.25, -0.2, 0.2, 0.2])

    def test_one_year(self) -> None:
        # CAGR 0.44 / 0.2 = 2.2
        assert calmar(cagr(1.44, 1.0), max_drawdown(self.CURVE)) == pytest.approx(2.2)

    def test_two_years(self) -> None:
        # CAGR sqrt(1.44) - 1 = 0.2, 0.2 / 0.2 = 1
        assert calmar(cagr(1.44, 0.5), max_drawdown(self.CURVE)) == pytest.approx(1.0)

    def test_none_without_drawdown(self) -> None:
        assert calmar(0.3, 0.0) is None


class TestMeanTurnover:
    def test_mean_per_decision(self) -> None:
        assert mean_turnover([0.2, 0.4, 0.0]) == pytest.approx(0.2)

    def test_nan_without_decisions(self) -> None:
        assert math.isnan(mean_turnover([]))


class TestRows:
    RETURNS = RNG.normal(0.001, 0.02, (6, 300))

    def test_each_row_s_sharpe_and_volatility_to_the_bit(self) -> None:
        sharpes, volatilities = row_sharpes(self.RETURNS, 365), row_volatilities(self.RETURNS, 365)
        for row, s, v in zip(self.RETURNS, sharpes.tolist(), volatilities.tolist(), strict=True):
            assert s == sharpe(row, 365)
            assert v == volatility(row, 365)

    def test_each_row_s_total_return(self) -> None:
        expected = [total_return(equity_of(row)) for row in self.RETURNS]
        np.testing.assert_allclose(row_total_returns(self.RETURNS), expected, rtol=1e-12)

    def test_a_row_without_deviation_has_no_sharpe(self) -> None:
        assert np.isnan(row_sharpes(np.array([[0.0, 0.0, 0.0]]), 365)).all()

    def test_drawdowns_on_hand_series(self) -> None:
        result = row_max_drawdowns(np.array([[100.0, 120.0, 90.0, 130.0, 65.0]]))
        assert result[0] == pytest.approx(0.5)  # 65 / 130
        assert row_max_drawdowns(np.arange(1.0, 20.0)[None, :])[0] == 0.0

    def test_drawdowns_skip_missing_values_and_are_nan_without_one(self) -> None:
        close = np.array([[np.nan, 100.0, np.nan, 120.0, np.nan, 60.0, 70.0]])
        assert row_max_drawdowns(close)[0] == pytest.approx(0.5)
        result = row_max_drawdowns(np.array([[1.0, 2.0, 1.0], [np.nan, np.nan, np.nan]]))
        assert result[0] == pytest.approx(0.5)
        assert np.isnan(result[1])

    def test_drawdowns_are_each_curve_s(self) -> None:
        curves = 100.0 * np.exp(np.cumsum(self.RETURNS, axis=1))
        expected = [max_drawdown(row) for row in curves]
        np.testing.assert_array_equal(row_max_drawdowns(curves), expected)


class TestAsBefore:
    """The formulas the callers wrote inline before: the same floats, to the bit."""

    def test_the_replay_s_daily_figures(self) -> None:
        r, days = DAILY, 400.0
        std, mean = float(r.std(ddof=1)), float(r.mean())
        downside = float(np.sqrt(np.mean(np.minimum(r, 0.0) ** 2)))
        equity = equity_of(r)
        assert volatility(r, 365) == std * math.sqrt(365)
        assert sharpe(r, 365) == mean / std * math.sqrt(365)
        assert sortino(r, 365) == mean / downside * math.sqrt(365)
        growth = equity[-1] / equity[0]
        assert cagr(growth, 365 / days) == float(growth ** (365 / days) - 1.0)

    def test_portfolio_analytics_hourly_figures(self) -> None:
        r, per_year = DAILY / 10, 8760
        assert sharpe(r, per_year, equal_is_flat=True) == float(
            r.mean() / r.std(ddof=1) * math.sqrt(per_year)
        )
        downside = math.sqrt(float(np.mean(np.minimum(r, 0.0) ** 2)))
        assert sortino(r, per_year) == float(r.mean() / downside * math.sqrt(per_year))
        assert volatility(r, per_year) == float(r.std(ddof=1) * math.sqrt(per_year))
        assert volatility(r, per_year) == float(r.std(ddof=1) * np.sqrt(per_year))
        years = r.size / per_year
        growth = float(np.prod(1.0 + r))
        assert cagr(growth, 1.0 / years, ruin=-1.0) == growth ** (1.0 / years) - 1.0
