"""Portfolio analytics against small series worked out by hand in the comments."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app.portfolio.maths import risk_statistics as an

# r = [0.02, -0.01, 0.03, 0.00]: mean 0.01, deviations 0.01, -0.02, 0.02, -0.01,
# squared sum 0.001, sample variance 0.001 / 3, so mean / std = 0.01 / sqrt(0.001 / 3) = sqrt(0.3).
SERIES = [0.02, -0.01, 0.03, 0.00]

# The 20-point series for VaR / ES. Sorted ascending it reads
# -0.08, -0.05, -0.03, -0.02, -0.015, -0.01, -0.005, 0, 0, 0.005,
#  0.01, 0.01, 0.01, 0.015, 0.02, 0.02, 0.025, 0.03, 0.035, 0.04
TWENTY = [
    0.01,
    -0.03,
    0.02,
    -0.08,
    0.00,
    0.015,
    -0.01,
    0.04,
    -0.05,
    0.005,
    0.03,
    -0.02,
    0.01,
    -0.005,
    0.025,
    0.02,
    -0.015,
    0.035,
    0.00,
    0.01,
]


class TestRiskFigures:
    """The performance figures as analytics reports them (`app.stats.performance`'s, tested
    there): over the returns it has, a flat series without Sharpe, ruin as a CAGR of -1."""

    # equity 1 -> 1.25 -> 1.0 -> 1.2 -> 1.44: growth 1.44, drawdown 1 - 1.0 / 1.25 = 0.2
    CURVE = [0.25, -0.2, 0.2, 0.2]

    def test_sharpe_and_sortino_on_hand_series(self) -> None:
        # sqrt(0.3) per period * sqrt(30) = 3; downside over all 4 periods 0.005: 2 * sqrt(4)
        assert an.risk_report(SERIES, 30).sharpe == pytest.approx(3.0)
        assert an.risk_report(SERIES, 4).sortino == pytest.approx(4.0)

    def test_none_sharpe_for_a_constant_series(self) -> None:
        # The sample std of three 0.1s is rounding noise, not a number to divide by.
        assert an.risk_report([0.1, 0.1, 0.1], 365).sharpe is None

    def test_nan_periods_are_dropped(self) -> None:
        assert an.risk_report([0.02, math.nan, -0.01, 0.03, 0.00], 30).sharpe == pytest.approx(3.0)

    def test_rejects_non_positive_periods_per_year(self) -> None:
        with pytest.raises(ValueError, match="periods_per_year"):
            an.risk_report(SERIES, 0)

    def test_drawdown_of_the_curve_compounded_from_one(self) -> None:
        # equity 1 -> 1.1 -> 0.88 -> 0.924 -> 0.462 -> 0.6006: 1 - 0.462 / 1.1 = 0.58
        assert an.risk_report([0.1, -0.2, 0.05, -0.5, 0.3], 5).max_drawdown == pytest.approx(0.58)
        # equity 1 -> 0.9 -> 0.945: the fall from the initial 1.0 is 0.1
        assert an.risk_report([-0.1, 0.05], 2).max_drawdown == pytest.approx(0.1)

    def test_calmar_over_the_years_the_returns_span(self) -> None:
        # 4 periods at 4 a year = 1 year: CAGR 0.44 / 0.2 = 2.2; at 2 a year: sqrt(1.44) - 1
        assert an.risk_report(self.CURVE, 4).calmar == pytest.approx(2.2)
        assert an.risk_report(self.CURVE, 2).calmar == pytest.approx(1.0)

    def test_losing_series_has_a_negative_calmar(self) -> None:
        # growth 0.6006 over 1 year: CAGR -0.3994, drawdown 0.58
        calmar = an.risk_report([0.1, -0.2, 0.05, -0.5, 0.3], 5).calmar
        assert calmar == pytest.approx(-0.3994 / 0.58)

    def test_more_than_everything_lost_is_a_cagr_of_minus_one(self) -> None:
        # equity 1 -> -0.5 -> -0.55: drawdown 1 - (-0.55) / 1 = 1.55, CAGR -1
        assert an.risk_report([-1.5, 0.1], 2).calmar == pytest.approx(-1 / 1.55)

    def test_no_calmar_without_drawdown(self) -> None:
        assert an.risk_report([0.01, 0.02], 12).calmar is None


class TestHistoricalVar:
    def test_95_is_second_worst_of_twenty(self) -> None:
        # k = floor(0.05 * 20) = 1 -> sorted[1] = -0.05
        assert an.historical_var(TWENTY, 0.95) == pytest.approx(0.05)

    def test_90_is_third_worst(self) -> None:
        # k = floor(0.10 * 20) = 2 -> sorted[2] = -0.03
        assert an.historical_var(TWENTY, 0.90) == pytest.approx(0.03)

    def test_99_is_worst(self) -> None:
        # k = floor(0.01 * 20) = 0 -> -0.08
        assert an.historical_var(TWENTY, 0.99) == pytest.approx(0.08)

    def test_whole_index_survives_float_rounding(self) -> None:
        # (1 - 0.8) * 20 is 3.999999999999999 in floats; the intended k = 4 -> sorted[4] = -0.015
        assert an.historical_var(TWENTY, 0.80) == pytest.approx(0.015)

    @pytest.mark.parametrize("level", [0.95, 0.975, 0.99])
    def test_matches_numpy_inverted_cdf_of_losses(self, level: float) -> None:
        r = np.random.default_rng(7).normal(0.0, 0.02, 250)
        expected = np.quantile(-r, level, method="inverted_cdf")
        assert an.historical_var(r, level) == pytest.approx(float(expected))

    def test_empty_raises(self) -> None:
        with pytest.raises(ValueError, match="no returns"):
            an.historical_var([])

    @pytest.mark.parametrize("level", [0.0, 1.0, 1.5])
    def test_level_out_of_range_raises(self, level: float) -> None:
        with pytest.raises(ValueError, match="level"):
            an.historical_var(TWENTY, level)


class TestExpectedShortfall:
    def test_95_of_twenty(self) -> None:
        # tail = returns <= -0.05: {-0.08, -0.05}, mean -0.065
        assert an.expected_shortfall(TWENTY, 0.95) == pytest.approx(0.065)

    def test_90_of_twenty(self) -> None:
        # tail {-0.08, -0.05, -0.03}: 0.16 / 3
        assert an.expected_shortfall(TWENTY, 0.90) == pytest.approx(0.16 / 3)

    def test_ties_at_var_are_in_the_tail(self) -> None:
        # 10 points, level 0.9: k = 1 -> VaR 0.02; the tail holds both -0.02s:
        # (0.04 + 0.02 + 0.02) / 3
        r = [-0.04, -0.02, -0.02] + [0.01] * 7
        assert an.historical_var(r, 0.9) == pytest.approx(0.02)
        assert an.expected_shortfall(r, 0.9) == pytest.approx(0.08 / 3)

    def test_empty_raises(self) -> None:
        with pytest.raises(ValueError, match="no returns"):
            an.expected_shortfall([])


class TestWinRate:
    def test_zero_is_not_a_win(self) -> None:
        # 2 wins (10, 3) among 4 records
        assert an.win_rate([10.0, -5.0, 0.0, 3.0]) == 0.5

    def test_none_when_empty(self) -> None:
        assert an.win_rate([]) is None


class TestConcentration:
    def test_herfindahl(self) -> None:
        # 0.5^2 + 0.3^2 + 0.2^2 = 0.25 + 0.09 + 0.04
        assert an.herfindahl([50, 30, 20]) == pytest.approx(0.38)

    def test_effective_members(self) -> None:
        # 1 / 0.38 = 2.631578...
        assert an.effective_members([50, 30, 20]) == pytest.approx(2.6315789473684212)

    def test_partly_invested_book_is_normalised(self) -> None:
        # 25 / 15 / 10 of equity is the same 50 / 30 / 20 split of the invested part
        assert an.herfindahl([25, 15, 10]) == pytest.approx(0.38)

    def test_equal_weights_count_fully(self) -> None:
        assert an.effective_members([10.0] * 10) == pytest.approx(10.0)

    def test_empty_weights_raise(self) -> None:
        with pytest.raises(ValueError, match="weights"):
            an.herfindahl([])


class TestPortfolioReturns:
    def test_complete_row_is_weighted_sum(self) -> None:
        # 0.5 * 0.02 + 0.3 * 0.01 + 0.2 * -0.01 = 0.010 + 0.003 - 0.002
        out = an.portfolio_returns(np.array([[0.02, 0.01, -0.01]]), np.array([50, 30, 20]))
        assert out.tolist() == pytest.approx([0.011])

    def test_missing_member_weight_goes_pro_rata(self) -> None:
        # member 2 missing: 0.5 and 0.2 are scaled to the full 1.0 -> (0.02 + 0.002) / 0.7
        out = an.portfolio_returns(np.array([[0.04, np.nan, 0.01]]), np.array([50, 30, 20]))
        assert out.tolist() == pytest.approx([0.022 / 0.7])

    def test_cash_share_is_kept(self) -> None:
        # 40 + 40 = 80% invested; the missing 40 moves to the present member: 0.8 * 0.1
        out = an.portfolio_returns(np.array([[0.1, np.nan]]), np.array([40, 40]))
        assert out.tolist() == pytest.approx([0.08])

    def test_row_without_members_is_nan(self) -> None:
        r = np.array([[0.01, 0.02], [np.nan, np.nan]])
        out = an.portfolio_returns(r, np.array([50, 50]))
        assert out[0] == pytest.approx(0.015)
        assert math.isnan(out[1])

    def test_shape_mismatch_raises(self) -> None:
        with pytest.raises(ValueError, match="weights"):
            an.portfolio_returns(np.zeros((3, 2)), np.array([50, 30, 20]))


class TestRiskReport:
    def test_bundles_the_statistics(self) -> None:
        report = an.risk_report(SERIES, 30)
        assert report.observations == 4
        assert report.mean == pytest.approx(0.01)
        # sample std sqrt(0.001 / 3) * sqrt(30) = sqrt(0.01) = 0.1
        assert report.volatility == pytest.approx(0.1)
        assert report.sharpe == pytest.approx(3.0)
        # 4 points at 0.95: k = floor(0.2) = 0 -> worst return -0.01
        assert report.var == pytest.approx(0.01)
        assert report.es == pytest.approx(0.01)
        # equity 1.02 -> 1.0098: drawdown 0.01
        assert report.max_drawdown == pytest.approx(0.01)

    def test_fields_are_plain_python(self) -> None:
        report = an.risk_report(np.array(TWENTY), 365)
        assert type(report.observations) is int
        for value in (report.mean, report.volatility, report.var, report.es, report.calmar):
            assert type(value) is float

    def test_empty_raises(self) -> None:
        with pytest.raises(ValueError, match="no returns"):
            an.risk_report([], 365)


class TestImpossibleReturns:
    def test_infinite_returns_are_dropped_like_missing_ones(self) -> None:
        clean = [0.01, -0.02, 0.015, 0.0, -0.005]
        report = an.risk_report([0.01, np.inf, -0.02, np.nan, 0.015, -np.inf, 0.0, -0.005], 365)
        assert report == an.risk_report(clean, 365)
        assert report.observations == 5 and math.isfinite(report.mean)
