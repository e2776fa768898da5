"""Indicators against independent reference implementations written here in plain Python.

The references are deliberately naive loops (no TA-Lib, no vectorised tricks) so that a shared
mistake is unlikely. Random-walk series come from `np.random.default_rng(7)`.
"""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest

from app.scoring.scorers import indicators as ind

TOL = 1e-6
N = 300


# ---------------------------------------------------------------- fixed series


def random_walk(n: int = N, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return 100.0 * np.exp(np.cumsum(rng.normal(0.0, 0.01, n)))


def walk_matrix(rows: int = 4, n: int = N, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return 100.0 * np.exp(np.cumsum(rng.normal(0.0, 0.01, (rows, n)), axis=1))


# ---------------------------------------------------------------- references


def ref_rsi(close: list[float], period: int = 14) -> list[float]:
    """Wilder: seed = simple average of the first `period` gains/losses, then smoothing."""
    out = [math.nan] * len(close)
    gains = [max(close[t] - close[t - 1], 0.0) for t in range(1, len(close))]
    losses = [max(close[t - 1] - close[t], 0.0) for t in range(1, len(close))]
    avg_gain = sum(gains[:period]) / period
    avg_loss = sum(losses[:period]) / period

    def value(g: float, loss: float) -> float:
        return 100.0 * g / (g + loss) if g + loss > 0 else 0.0

    out[period] = value(avg_gain, avg_loss)
    for t in range(period + 1, len(close)):
        avg_gain = (avg_gain * (period - 1) + gains[t - 1]) / period
        avg_loss = (avg_loss * (period - 1) + losses[t - 1]) / period
        out[t] = value(avg_gain, avg_loss)
    return out


def ref_ema(values: list[float], period: int) -> list[float]:
    """Seeded with the SMA of the first `period` values, then alpha = 2 / (period + 1)."""
    out = [math.nan] * len(values)
    alpha = 2.0 / (period + 1)
    out[period - 1] = sum(values[:period]) / period
    for t in range(period, len(values)):
        out[t] = out[t - 1] + alpha * (values[t] - out[t - 1])
    return out


def ref_macd_histogram(close: list[float], fast: int = 12, slow: int = 26, signal: int = 9):
    """Each EMA seeded from its own first values (the textbook form)."""
    fast_ema, slow_ema = ref_ema(close, fast), ref_ema(close, slow)
    line = [f - s for f, s in zip(fast_ema[slow - 1 :], slow_ema[slow - 1 :], strict=True)]
    signal_line = ref_ema(line, signal)
    hist = [m - s for m, s in zip(line, signal_line, strict=True)]
    return [math.nan] * (slow - 1) + hist


def ref_macd_histogram_aligned(close: list[float], fast=12, slow=26, signal=9):
    """TA-Lib's variant: the fast EMA is seeded on the `fast` values ending where the slow
    EMA's seed ends, so both start at index `slow - 1`."""
    start = slow - fast
    fast_ema = ref_ema(close[start:], fast)[fast - 1 :]
    slow_ema = ref_ema(close, slow)[slow - 1 :]
    line = [f - s for f, s in zip(fast_ema, slow_ema, strict=True)]
    signal_line = ref_ema(line, signal)
    hist = [m - s for m, s in zip(line, signal_line, strict=True)]
    return [math.nan] * (slow - 1) + hist


def ref_bollinger(close: list[float], period: int = 20, width: float = 2.0):
    upper, middle, lower = ([math.nan] * len(close) for _ in range(3))
    for t in range(period - 1, len(close)):
        window = close[t - period + 1 : t + 1]
        mean = sum(window) / period
        sd = math.sqrt(sum((x - mean) ** 2 for x in window) / period)  # population
        upper[t], middle[t], lower[t] = mean + width * sd, mean, mean - width * sd
    return upper, middle, lower


def ref_efficiency_ratio(row: list[float], window: int) -> float:
    tail = row[-window - 1 :]
    if len(tail) < window + 1 or any(math.isnan(x) for x in tail):
        return math.nan
    path = sum(abs(tail[k] - tail[k - 1]) for k in range(1, len(tail)))
    return abs(tail[-1] - tail[0]) / path if path > 0 else 0.0


def assert_close_after_warmup(actual: np.ndarray, expected: list[float], start: int) -> None:
    np.testing.assert_allclose(actual[start:], np.array(expected[start:]), rtol=0, atol=TOL)


# ---------------------------------------------------------------- TA-Lib wrappers


class TestRsi:
    def test_matches_wilder_reference_on_random_walk(self) -> None:
        close = random_walk()
        assert_close_after_warmup(ind.rsi(close), ref_rsi(close.tolist()), 14)

    def test_first_value_is_at_index_period(self) -> None:
        result = ind.rsi(random_walk())
        assert np.isnan(result[:14]).all()
        assert not np.isnan(result[14:]).any()

    def test_strictly_rising_series_is_100(self) -> None:
        result = ind.rsi(np.arange(1.0, 41.0))
        np.testing.assert_allclose(result[14:], 100.0, atol=TOL)

    def test_strictly_falling_series_is_0(self) -> None:
        result = ind.rsi(np.arange(40.0, 0.0, -1.0))
        np.testing.assert_allclose(result[14:], 0.0, atol=TOL)

    def test_alternating_equal_moves_is_50_at_seed(self) -> None:
        close = np.array([10.0 + (t % 2) for t in range(15)])  # 7 gains, 7 losses of 1
        assert ind.rsi(close)[14] == pytest.approx(50.0, abs=TOL)


class TestEma:
    @pytest.mark.parametrize("period", [5, 20, 50])
    def test_matches_sma_seeded_reference(self, period: int) -> None:
        close = random_walk()
        result = ind.ema(close, period)
        assert np.isnan(result[: period - 1]).all()
        assert_close_after_warmup(result, ref_ema(close.tolist(), period), period - 1)

    def test_seed_is_sma_of_first_period(self) -> None:
        close = np.array([1.0, 2.0, 3.0, 4.0, 10.0])
        result = ind.ema(close, 4)
        assert result[3] == pytest.approx(2.5, abs=TOL)
        assert result[4] == pytest.approx(2.5 + 0.4 * (10.0 - 2.5), abs=TOL)

    def test_constant_series_is_constant(self) -> None:
        np.testing.assert_allclose(ind.ema(np.full(30, 7.0), 10)[9:], 7.0, atol=TOL)


class TestMacdHistogram:
    def test_matches_textbook_reference_after_warmup(self) -> None:
        close = random_walk()
        result = ind.macd_histogram(close)
        expected = ref_macd_histogram(close.tolist())
        np.testing.assert_allclose(result[-100:], np.array(expected[-100:]), rtol=0, atol=TOL)

    def test_matches_talib_aligned_reference_everywhere(self) -> None:
        close = random_walk()
        result = ind.macd_histogram(close)
        expected = ref_macd_histogram_aligned(close.tolist())
        assert_close_after_warmup(result, expected, 33)

    def test_warmup_is_slow_plus_signal_minus_two(self) -> None:
        result = ind.macd_histogram(random_walk())
        assert np.isnan(result[:33]).all()
        assert not np.isnan(result[33:]).any()

    def test_linear_series_has_zero_histogram(self) -> None:
        result = ind.macd_histogram(np.linspace(100.0, 200.0, 120))
        np.testing.assert_allclose(result[33:], 0.0, atol=TOL)


class TestBollinger:
    def test_matches_population_sigma_reference(self) -> None:
        close = random_walk()
        result = ind.bollinger(close)
        for actual, expected in zip(result, ref_bollinger(close.tolist()), strict=True):
            assert np.isnan(actual[:19]).all()
            assert_close_after_warmup(actual, expected, 19)

    def test_hand_checked_window(self) -> None:
        close = np.array([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])  # mean 5, population sd 2
        upper, middle, lower = ind.bollinger(close, period=8, width=2.0)
        assert (upper[-1], middle[-1], lower[-1]) == pytest.approx((9.0, 5.0, 1.0), abs=TOL)

    def test_constant_series_collapses_bands(self) -> None:
        upper, middle, lower = ind.bollinger(np.full(25, 3.0))
        for band in (upper, middle, lower):
            np.testing.assert_allclose(band[19:], 3.0, atol=TOL)


# ---------------------------------------------------------------- numpy statistics


class TestEfficiencyRatio:
    def test_matches_reference_per_row(self) -> None:
        close = walk_matrix()
        result = ind.efficiency_ratio(close, 20)
        expected = [ref_efficiency_ratio(row, 20) for row in close.tolist()]
        np.testing.assert_allclose(result, expected, rtol=0, atol=TOL)

    def test_straight_line_is_one(self) -> None:
        close = np.vstack([np.arange(1.0, 31.0), np.arange(30.0, 0.0, -1.0)])
        np.testing.assert_allclose(ind.efficiency_ratio(close, 20), [1.0, 1.0], atol=TOL)

    def test_round_trip_is_zero(self) -> None:
        close = np.array([[5.0, 6.0, 7.0, 6.0, 5.0]])
        assert ind.efficiency_ratio(close, 4)[0] == pytest.approx(0.0, abs=TOL)

    def test_hand_checked_value(self) -> None:
        close = np.array([[1.0, 2.0, 1.0, 2.0, 3.0]])  # net 2 over a path of 4
        assert ind.efficiency_ratio(close, 4)[0] == pytest.approx(0.5, abs=TOL)

    def test_flat_series_is_zero(self) -> None:
        assert ind.efficiency_ratio(np.full((1, 10), 4.0), 5)[0] == 0.0

    def test_only_last_window_plus_one_bars_count(self) -> None:
        close = np.array([[100.0, 1.0, 2.0, 3.0, 4.0, 5.0]])
        assert ind.efficiency_ratio(close, 4)[0] == pytest.approx(1.0, abs=TOL)

    def test_missing_bar_before_window_is_ignored(self) -> None:
        close = np.arange(1.0, 31.0)[None, :].copy()
        close[0, 3] = np.nan
        assert ind.efficiency_ratio(close, 20)[0] == pytest.approx(1.0, abs=TOL)

    def test_row_with_too_few_bars_is_nan(self) -> None:
        close = np.vstack([np.arange(1.0, 31.0), np.arange(1.0, 31.0)])
        close[1, :10] = np.nan  # 20 bars left, 21 needed
        result = ind.efficiency_ratio(close, 20)
        assert result[0] == pytest.approx(1.0, abs=TOL)
        assert np.isnan(result[1])

    def test_series_shorter_than_window_is_nan(self) -> None:
        assert np.isnan(ind.efficiency_ratio(np.arange(1.0, 11.0)[None, :], 20)[0])

    def test_missing_bar_inside_window_is_skipped(self) -> None:
        close = np.arange(1.0, 31.0)[None, :].copy()
        close[0, 25] = np.nan
        assert ind.efficiency_ratio(close, 20)[0] == pytest.approx(1.0, abs=TOL)


class TestLogReturns:
    def test_matches_log_of_ratios(self) -> None:
        close = walk_matrix(2, 50)
        expected = [[math.log(r[t] / r[t - 1]) for t in range(1, len(r))] for r in close.tolist()]
        np.testing.assert_allclose(ind.log_returns(close), expected, rtol=0, atol=1e-12)

    def test_missing_bar_gives_nan_on_both_sides(self) -> None:
        result = ind.log_returns(np.array([[1.0, 2.0, np.nan, 4.0, 8.0]]))
        assert np.isnan(result[0, 1:3]).all()
        assert result[0, 0] == pytest.approx(math.log(2.0))
        assert result[0, 3] == pytest.approx(math.log(2.0))


class TestRealisedVolatility:
    def test_matches_sample_std_times_sqrt_hours_per_year(self) -> None:
        returns = ind.log_returns(walk_matrix())
        result = ind.realised_volatility(returns, 168)
        expected = [statistics.stdev(row[-168:]) * math.sqrt(8760) for row in returns.tolist()]
        np.testing.assert_allclose(result, expected, rtol=1e-9)

    def test_hand_checked_value(self) -> None:
        returns = np.array([[0.01, -0.01, 0.01, -0.01]])  # sample sd = sqrt(4e-4 / 3)
        expected = math.sqrt(4e-4 / 3) * math.sqrt(8760)
        assert ind.realised_volatility(returns, 4)[0] == pytest.approx(expected, rel=1e-12)

    def test_missing_returns_are_skipped(self) -> None:
        returns = np.array([[0.01, np.nan, -0.01, 0.02, np.nan]])
        expected = statistics.stdev([0.01, -0.01, 0.02]) * math.sqrt(8760)
        assert ind.realised_volatility(returns, 5)[0] == pytest.approx(expected, rel=1e-12)

    def test_fewer_than_two_returns_is_nan(self) -> None:
        returns = np.array([[np.nan, np.nan, 0.01], [np.nan, np.nan, np.nan]])
        assert np.isnan(ind.realised_volatility(returns, 3)).all()


class TestBetaAndCorrelation:
    def test_matches_numpy_cov_and_corrcoef(self) -> None:
        returns = ind.log_returns(walk_matrix(5))
        benchmark = returns[0]
        beta, corr = ind.beta_and_correlation(returns, benchmark)
        for i, row in enumerate(returns):
            cov = np.cov(row, benchmark)
            assert beta[i] == pytest.approx(cov[0, 1] / cov[1, 1], abs=TOL)
            assert corr[i] == pytest.approx(np.corrcoef(row, benchmark)[0, 1], abs=TOL)

    def test_benchmark_against_itself_is_one(self) -> None:
        returns = ind.log_returns(walk_matrix(2))
        beta, corr = ind.beta_and_correlation(returns, returns[0])
        assert (beta[0], corr[0]) == pytest.approx((1.0, 1.0), abs=TOL)

    def test_scaled_copy_has_beta_of_the_scale(self) -> None:
        benchmark = ind.log_returns(walk_matrix(1))[0]
        beta, corr = ind.beta_and_correlation(np.vstack([2.0 * benchmark, -benchmark]), benchmark)
        np.testing.assert_allclose(beta, [2.0, -1.0], atol=TOL)
        np.testing.assert_allclose(corr, [1.0, -1.0], atol=TOL)

    def test_uses_only_bars_both_have(self) -> None:
        returns = ind.log_returns(walk_matrix(3))
        benchmark = returns[0].copy()
        benchmark[[5, 50]] = np.nan
        returns[1, [10, 11, 200]] = np.nan
        beta, corr = ind.beta_and_correlation(returns, benchmark)
        for i in (1, 2):
            both = ~np.isnan(returns[i]) & ~np.isnan(benchmark)
            x, y = returns[i][both], benchmark[both]
            cov = np.cov(x, y)
            assert beta[i] == pytest.approx(cov[0, 1] / cov[1, 1], abs=TOL)
            assert corr[i] == pytest.approx(np.corrcoef(x, y)[0, 1], abs=TOL)

    def test_fewer_than_three_shared_bars_is_nan(self) -> None:
        benchmark = np.array([0.01, -0.02, 0.03, 0.01])
        returns = np.array([[0.02, np.nan, np.nan, 0.01], [0.02, -0.01, 0.01, np.nan]])
        beta, corr = ind.beta_and_correlation(returns, benchmark)
        assert np.isnan(beta[0])
        assert np.isnan(corr[0])
        assert np.isfinite(beta[1])
        assert np.isfinite(corr[1])

    def test_complete_and_gappy_paths_agree(self) -> None:
        # Without any missing bar a faster path is taken; one hole in another row forces the
        # general path, which must give the same numbers for the untouched rows.
        returns = ind.log_returns(walk_matrix(4))
        gappy = returns.copy()
        gappy[3, 0] = np.nan
        fast = ind.beta_and_correlation(returns, returns[0])
        slow = ind.beta_and_correlation(gappy, returns[0])
        for a, b in zip(fast, slow, strict=True):
            np.testing.assert_allclose(a[:3], b[:3], rtol=1e-12)

    def test_complete_rows_with_too_few_bars_are_nan(self) -> None:
        returns = np.array([[0.01, 0.02], [0.02, -0.01]])
        beta, corr = ind.beta_and_correlation(returns, returns[0])
        assert np.isnan(beta).all()
        assert np.isnan(corr).all()

    def test_missing_benchmark_bar_with_complete_rows(self) -> None:
        returns = ind.log_returns(walk_matrix(3))
        benchmark = returns[0].copy()
        benchmark[5] = np.nan
        beta, _ = ind.beta_and_correlation(returns, benchmark)
        both = ~np.isnan(benchmark)
        cov = np.cov(returns[1][both], benchmark[both])
        assert beta[1] == pytest.approx(cov[0, 1] / cov[1, 1], abs=TOL)


class TestLastValidWindow:
    def test_complete_rows_are_their_last_columns(self) -> None:
        values = np.arange(12.0).reshape(2, 6)
        result = ind.last_valid_window(values, 3, np.array([False, False]))
        np.testing.assert_array_equal(result, [[3.0, 4.0, 5.0], [9.0, 10.0, 11.0]])

    def test_gappy_rows_skip_missing_values(self) -> None:
        values = np.array([[1.0, 2.0, np.nan, 4.0, np.nan, 6.0]])
        result = ind.last_valid_window(values, 3, np.array([True]))
        np.testing.assert_array_equal(result, [[2.0, 4.0, 6.0]])

    def test_short_rows_are_nan_padded_on_the_left(self) -> None:
        values = np.array([[np.nan, np.nan, np.nan, 7.0, np.nan, 8.0]])
        result = ind.last_valid_window(values, 3, np.array([True]))
        np.testing.assert_array_equal(result, [[np.nan, 7.0, 8.0]])

    def test_empty_row_is_all_nan(self) -> None:
        result = ind.last_valid_window(np.full((1, 4), np.nan), 2, np.array([True]))
        assert np.isnan(result).all()

    def test_input_is_not_modified(self) -> None:
        values = np.array([[1.0, np.nan, 3.0]])
        ind.last_valid_window(values, 2, np.array([True]))
        np.testing.assert_array_equal(values, [[1.0, np.nan, 3.0]])
