"""Every component moves the right way when ONE input of ONE symbol changes.

The universe is `universe.make_universe()`; the varied symbol is SOLUSDT (mid-pack on every
value varied here), so its rank on the varied metric can move and its component score with it.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from app.scoring.scorers import indicators as ind
from app.scoring.scorers.components import (
    CALCULATORS,
    COMPONENTS,
    FUNDAMENTAL,
    MARKET_STRUCTURE,
    RISK,
    TECHNICAL,
    impact_bps,
    market_structure,
    technical,
)
from app.scoring.scorers.composite import MetricScore, score_universe
from app.scoring.scorers.market_inputs import MarketInputs
from app.scoring.scorers.normalise import HIGHER_IS_BETTER, LOWER_IS_BETTER
from tests.unit.scoring.scorers.universe import (
    LENGTH,
    SYMBOLS,
    TARGET,
    by_symbol,
    config,
    make_universe,
    with_missing_candles,
    with_value,
)

SYMBOL = SYMBOLS[TARGET]


def component_score(inputs: MarketInputs, component: str, symbol: str = SYMBOL) -> float:
    score = by_symbol(score_universe(inputs, config()))[symbol].components[component].score
    assert score is not None
    return score


def metric(inputs: MarketInputs, component: str, name: str, symbol: str = SYMBOL) -> MetricScore:
    outcome = score_universe(inputs, config())
    metrics = by_symbol(outcome)[symbol].components[component].metrics
    return next(m for m in metrics if m.name == name)


@pytest.fixture(scope="module")
def base() -> MarketInputs:
    return make_universe()


@pytest.fixture(scope="module")
def no_benchmark(base: MarketInputs) -> MarketInputs:
    """Without the benchmark in the universe beta and correlation are not measured, so a change
    to a price path moves only volatility and drawdown among the risk metrics."""
    return dataclasses.replace(base, benchmark="NOT-LISTED")


class TestDeclaredDirections:
    EXPECTED = {
        TECHNICAL: {
            "rsi": HIGHER_IS_BETTER,
            "macd_histogram_bps": HIGHER_IS_BETTER,
            "bollinger_pct_b": HIGHER_IS_BETTER,
            "bollinger_bandwidth": HIGHER_IS_BETTER,
            "volume_vs_mean": HIGHER_IS_BETTER,
            "ema_trend_pct": HIGHER_IS_BETTER,
        },
        FUNDAMENTAL: {
            "turnover_24h_log10": HIGHER_IS_BETTER,
            "volume_growth": HIGHER_IS_BETTER,
            "open_interest_log10": HIGHER_IS_BETTER,
            "open_interest_change": HIGHER_IS_BETTER,
            "funding_carry_bps_8h": HIGHER_IS_BETTER,
            "funding_volatility_bps_8h": LOWER_IS_BETTER,
        },
        MARKET_STRUCTURE: {
            "spread_bps": LOWER_IS_BETTER,
            "depth_usdt": HIGHER_IS_BETTER,
            "impact_bps": LOWER_IS_BETTER,
            "efficiency_ratio": HIGHER_IS_BETTER,
        },
        RISK: {
            "volatility_annualised": LOWER_IS_BETTER,
            "max_drawdown": LOWER_IS_BETTER,
            "beta_to_benchmark": LOWER_IS_BETTER,
            "correlation_to_benchmark": LOWER_IS_BETTER,
            "turnover_to_open_interest": HIGHER_IS_BETTER,
        },
    }

    @pytest.mark.parametrize("component", COMPONENTS)
    def test_metric_names_and_directions(self, base: MarketInputs, component: str) -> None:
        metrics = CALCULATORS[component](base, {})
        assert {m.name: m.direction for m in metrics} == self.EXPECTED[component]


class TestTechnical:
    def test_rsi_is_ranked_by_distance_from_target(self, base: MarketInputs) -> None:
        outcome = by_symbol(score_universe(base, config()))
        rsi = {
            s: next(m for m in outcome[s].components[TECHNICAL].metrics if m.name == "rsi")
            for s in SYMBOLS
        }
        by_distance = sorted(SYMBOLS, key=lambda s: abs(rsi[s].raw - 55.0))
        assert [rsi[s].normalised for s in by_distance] == [100.0, 80.0, 60.0, 40.0, 20.0, 0.0]

    def test_rsi_target_parameter_moves_the_preferred_level(self, base: MarketInputs) -> None:
        cfg = dataclasses.replace(config(), parameters={TECHNICAL: {"rsi_target": 0.0}})
        outcome = by_symbol(score_universe(base, cfg))
        rsi = {
            s: next(m for m in outcome[s].components[TECHNICAL].metrics if m.name == "rsi")
            for s in SYMBOLS
        }
        lowest = min(SYMBOLS, key=lambda s: rsi[s].raw)
        assert rsi[lowest].normalised == 100.0

    def test_stronger_recent_uptrend_raises_ema_trend(self, base: MarketInputs) -> None:
        close = base.close[TARGET].copy()
        close[-60:] *= np.linspace(1.0, 1.3, 60)
        varied = with_value(base, "close", TARGET, close)
        before = metric(base, TECHNICAL, "ema_trend_pct")
        after = metric(varied, TECHNICAL, "ema_trend_pct")
        assert after.raw > before.raw
        assert after.normalised == 100.0

    @pytest.mark.parametrize("holes", [[], [100, 101, 250, 290]])
    def test_values_match_indicators_on_series_without_holes(
        self, base: MarketInputs, holes: list[int]
    ) -> None:
        inputs = with_missing_candles(base, TARGET, holes) if holes else base
        present = ~np.isnan(inputs.close[TARGET])
        close, volume = inputs.close[TARGET][present], inputs.volume[TARGET][present]
        upper, middle, lower = ind.bollinger(close)
        ema = ind.ema(close, 50)
        expected = {
            "rsi": ind.rsi(close)[-1],
            "macd_histogram_bps": ind.macd_histogram(close)[-1] / close[-1] * 1e4,
            "bollinger_pct_b": (close[-1] - lower[-1]) / (upper[-1] - lower[-1]),
            "bollinger_bandwidth": (upper[-1] - lower[-1]) / middle[-1],
            "volume_vs_mean": volume[-1] / volume[-20:].mean(),
            "ema_trend_pct": (ema[-1] / ema[-25] - 1.0) * 100.0,
        }
        raw = {m.name: m.raw[TARGET] for m in technical(inputs, {})}
        assert raw == pytest.approx(expected, rel=1e-9)

    def test_flat_series_has_middle_pct_b(self, base: MarketInputs) -> None:
        varied = with_value(base, "close", TARGET, 42.0)
        raw = {m.name: m.raw[TARGET] for m in technical(varied, {})}
        assert (raw["bollinger_pct_b"], raw["bollinger_bandwidth"]) == (0.5, 0.0)

    def test_too_short_history_is_not_measured(self, base: MarketInputs) -> None:
        close = base.close[TARGET].copy()
        close[: LENGTH - 74] = np.nan  # 74 bars left; more than 50 + 24 are needed
        metrics = technical(with_value(base, "close", TARGET, close), {})
        assert all(np.isnan(m.raw[TARGET]) for m in metrics)
        assert all(np.isfinite(m.raw[TARGET + 1]) for m in metrics)

    def test_75_bars_are_enough(self, base: MarketInputs) -> None:
        close = base.close[TARGET].copy()
        close[: LENGTH - 75] = np.nan
        metrics = technical(with_value(base, "close", TARGET, close), {})
        assert all(np.isfinite(m.raw[TARGET]) for m in metrics)


class TestMarketStructure:
    def test_wider_spread_lowers_score(self, base: MarketInputs) -> None:
        mid = (base.bid[TARGET] + base.ask[TARGET]) / 2
        varied = with_value(base, "bid", TARGET, mid * (1 - 0.005))
        varied = with_value(varied, "ask", TARGET, mid * (1 + 0.005))  # 100 bps, same mid
        assert metric(varied, MARKET_STRUCTURE, "spread_bps").raw == pytest.approx(100.0)
        assert metric(varied, MARKET_STRUCTURE, "spread_bps").normalised == 0.0
        assert component_score(varied, MARKET_STRUCTURE) < component_score(base, MARKET_STRUCTURE)

    def test_spread_is_relative_to_mid_in_bps(self, base: MarketInputs) -> None:
        raw = metric(base, MARKET_STRUCTURE, "spread_bps").raw
        bid, ask = base.bid[TARGET], base.ask[TARGET]
        assert raw == pytest.approx((ask - bid) / ((ask + bid) / 2) * 1e4)

    def test_deeper_book_raises_score(self, base: MarketInputs) -> None:
        bids, asks = base.bid_levels[TARGET].copy(), base.ask_levels[TARGET].copy()
        bids[:, 1] *= 10
        asks[:, 1] *= 10
        varied = with_value(
            with_value(base, "bid_levels", TARGET, bids), "ask_levels", TARGET, asks
        )
        before = metric(base, MARKET_STRUCTURE, "depth_usdt")
        after = metric(varied, MARKET_STRUCTURE, "depth_usdt")
        assert after.raw == pytest.approx(10 * before.raw)
        assert after.normalised > before.normalised
        assert component_score(varied, MARKET_STRUCTURE) > component_score(base, MARKET_STRUCTURE)

    def test_depth_counts_only_levels_within_band(self, base: MarketInputs) -> None:
        mid = (base.bid[TARGET] + base.ask[TARGET]) / 2
        bids, asks = base.bid_levels[TARGET], base.ask_levels[TARGET]
        expected = sum(p * q for p, q in bids if p >= mid * 0.99) + sum(
            p * q for p, q in asks if p <= mid * 1.01
        )
        assert metric(base, MARKET_STRUCTURE, "depth_usdt").raw == pytest.approx(expected)
        assert 0 < expected < (bids[:, 0] * bids[:, 1]).sum() + (asks[:, 0] * asks[:, 1]).sum()

    def test_book_that_cannot_fill_has_unbounded_impact(self, base: MarketInputs) -> None:
        asks = base.ask_levels[TARGET].copy()
        asks[:, 1] = 1e-3  # far less than 10 000 USDT in total
        varied = with_value(base, "ask_levels", TARGET, asks)
        impact = metric(varied, MARKET_STRUCTURE, "impact_bps")
        assert (impact.raw, impact.unbounded, impact.normalised) == (None, True, 0.0)
        assert component_score(varied, MARKET_STRUCTURE) < component_score(base, MARKET_STRUCTURE)

    def test_missing_book_is_not_measured(self, base: MarketInputs) -> None:
        varied = with_value(base, "ask_levels", TARGET, np.nan)
        for name in ("depth_usdt", "impact_bps"):
            m = metric(varied, MARKET_STRUCTURE, name)
            assert (m.raw, m.normalised, m.contribution) == (None, None, 0.0)

    def test_straight_recent_path_raises_efficiency(self, base: MarketInputs) -> None:
        close = base.close[TARGET].copy()
        close[-21:] = np.linspace(close[-21], close[-21] * 1.02, 21)
        varied = with_value(base, "close", TARGET, close)
        after = metric(varied, MARKET_STRUCTURE, "efficiency_ratio")
        assert after.raw == pytest.approx(1.0)
        assert after.normalised == 100.0

    def test_impact_metric_matches_impact_function(self, base: MarketInputs) -> None:
        mid = np.array([(base.bid[TARGET] + base.ask[TARGET]) / 2])
        asks = base.ask_levels[TARGET : TARGET + 1]
        expected = impact_bps(asks[..., 0], asks[..., 1], mid, 10_000)[0]
        assert metric(base, MARKET_STRUCTURE, "impact_bps").raw == pytest.approx(expected)

    def test_reference_order_parameter_is_used(self, base: MarketInputs) -> None:
        small = market_structure(base, {"reference_order_usdt": 100.0})
        large = market_structure(base, {"reference_order_usdt": 1e9})
        impact_small = next(m for m in small if m.name == "impact_bps").raw
        impact_large = next(m for m in large if m.name == "impact_bps").raw
        assert np.isfinite(impact_small).all()
        assert np.isinf(impact_large).all()


class TestImpactBps:
    MID = np.array([99.95])

    def test_two_level_walk_hand_checked(self) -> None:
        prices, sizes = np.array([[100.0, 101.0]]), np.array([[50.0, 50.0]])
        # 5 000 USDT fills level 1 (50 coins); the other 5 000 buys 5000 / 101 coins at 101.
        coins = 50.0 + 5_000.0 / 101.0
        expected = (10_000.0 / coins / 99.95 - 1.0) * 1e4
        assert expected == pytest.approx(54.7786, abs=1e-4)
        assert impact_bps(prices, sizes, self.MID, 10_000.0)[0] == pytest.approx(expected)

    def test_order_filled_by_best_level_costs_its_distance_from_mid(self) -> None:
        prices, sizes = np.array([[100.0, 101.0]]), np.array([[500.0, 50.0]])
        expected = (100.0 / 99.95 - 1.0) * 1e4
        assert impact_bps(prices, sizes, self.MID, 10_000.0)[0] == pytest.approx(expected)

    def test_book_too_thin_is_inf(self) -> None:
        prices, sizes = np.array([[100.0, 101.0]]), np.array([[50.0, 49.0]])  # 9 949 USDT
        assert impact_bps(prices, sizes, self.MID, 10_000.0)[0] == np.inf

    def test_book_exactly_deep_enough_fills(self) -> None:
        prices, sizes = np.array([[100.0, 101.0]]), np.array([[50.0, 5_000.0 / 101.0]])
        expected = (10_000.0 / (50.0 + 5_000.0 / 101.0) / 99.95 - 1.0) * 1e4
        assert impact_bps(prices, sizes, self.MID, 10_000.0)[0] == pytest.approx(expected)

    def test_missing_levels_are_skipped(self) -> None:
        prices = np.array([[100.0, 101.0, np.nan, np.nan]])
        sizes = np.array([[50.0, 50.0, np.nan, np.nan]])
        expected = (10_000.0 / (50.0 + 5_000.0 / 101.0) / 99.95 - 1.0) * 1e4
        assert impact_bps(prices, sizes, self.MID, 10_000.0)[0] == pytest.approx(expected)

    def test_empty_book_is_inf(self) -> None:
        prices = sizes = np.full((1, 3), np.nan)
        assert impact_bps(prices, sizes, self.MID, 10_000.0)[0] == np.inf

    def test_rows_are_independent(self) -> None:
        prices = np.array([[100.0, 101.0], [100.0, 101.0]])
        sizes = np.array([[50.0, 50.0], [1.0, 1.0]])
        result = impact_bps(prices, sizes, np.array([99.95, 99.95]), 10_000.0)
        assert np.isfinite(result[0])
        assert result[1] == np.inf


class TestFundamental:
    def test_higher_turnover_raises_score(self, base: MarketInputs) -> None:
        varied = with_value(base, "turnover_24h", TARGET, base.turnover_24h[TARGET] * 100)
        after = metric(varied, FUNDAMENTAL, "turnover_24h_log10")
        assert after.raw == pytest.approx(np.log10(base.turnover_24h[TARGET]) + 2)
        assert after.normalised == 100.0
        assert component_score(varied, FUNDAMENTAL) > component_score(base, FUNDAMENTAL)

    def test_positive_funding_scores_below_negative_funding(self, base: MarketInputs) -> None:
        paying = with_value(base, "funding_rate", TARGET, 0.001)  # longs pay
        receiving = with_value(base, "funding_rate", TARGET, -0.001)  # longs are paid
        assert component_score(paying, FUNDAMENTAL) < component_score(receiving, FUNDAMENTAL)
        assert metric(paying, FUNDAMENTAL, "funding_carry_bps_8h").normalised == 0.0
        assert metric(receiving, FUNDAMENTAL, "funding_carry_bps_8h").normalised == 100.0

    def test_funding_carry_is_per_8h_in_bps(self, base: MarketInputs) -> None:
        varied = with_value(base, "funding_rate", TARGET, 1e-4)
        varied = with_value(varied, "funding_interval_h", TARGET, 4.0)  # paid twice per 8 h
        assert metric(varied, FUNDAMENTAL, "funding_carry_bps_8h").raw == pytest.approx(-2.0)

    def test_open_interest_change_uses_previous_open_interest(self, base: MarketInputs) -> None:
        varied = with_value(base, "previous_open_interest_usdt", TARGET, 2e6)
        expected = base.open_interest_usdt[TARGET] / 2e6 - 1.0
        assert metric(varied, FUNDAMENTAL, "open_interest_change").raw == pytest.approx(expected)

    def test_growing_open_interest_raises_score(self, base: MarketInputs) -> None:
        varied = with_value(
            base, "previous_open_interest_usdt", TARGET, base.open_interest_usdt[TARGET] / 2
        )
        assert metric(varied, FUNDAMENTAL, "open_interest_change").normalised == 100.0
        assert component_score(varied, FUNDAMENTAL) > component_score(base, FUNDAMENTAL)

    def test_no_previous_open_interest_is_not_measured(self, base: MarketInputs) -> None:
        varied = with_value(base, "previous_open_interest_usdt", TARGET, np.nan)
        m = metric(varied, FUNDAMENTAL, "open_interest_change")
        assert (m.raw, m.normalised, m.contribution, m.unbounded) == (None, None, 0.0, False)

    def test_zero_previous_open_interest_is_not_measured(self, base: MarketInputs) -> None:
        varied = with_value(base, "previous_open_interest_usdt", TARGET, 0.0)
        m = metric(varied, FUNDAMENTAL, "open_interest_change")
        assert (m.raw, m.normalised, m.unbounded) == (None, None, False)

    def test_unstable_funding_lowers_score(self, base: MarketInputs) -> None:
        history = np.tile([0.01, -0.01], base.funding_history.shape[1] // 2)
        varied = with_value(base, "funding_history", TARGET, history)
        after = metric(varied, FUNDAMENTAL, "funding_volatility_bps_8h")
        assert after.raw == pytest.approx(100.0)  # population sd 0.01 = 100 bps
        assert after.normalised == 0.0
        assert component_score(varied, FUNDAMENTAL) < component_score(base, FUNDAMENTAL)

    def test_fewer_than_three_settlements_is_not_measured(self, base: MarketInputs) -> None:
        history = np.full(base.funding_history.shape[1], np.nan)
        history[-2:] = [1e-4, 2e-4]
        varied = with_value(base, "funding_history", TARGET, history)
        assert metric(varied, FUNDAMENTAL, "funding_volatility_bps_8h").normalised is None


class TestRisk:
    def test_higher_volatility_lowers_score(self, no_benchmark: MarketInputs) -> None:
        close = no_benchmark.close[TARGET].copy()
        close[-168:] *= 1 + 0.02 * (np.arange(168) % 2)  # up-spikes: no deeper drawdown
        varied = with_value(no_benchmark, "close", TARGET, close)
        before = metric(no_benchmark, RISK, "volatility_annualised")
        after = metric(varied, RISK, "volatility_annualised")
        assert after.raw > 2 * before.raw
        assert after.normalised == 0.0
        assert metric(varied, RISK, "max_drawdown") == metric(no_benchmark, RISK, "max_drawdown")
        assert component_score(varied, RISK) < component_score(no_benchmark, RISK)

    def test_deeper_drawdown_lowers_score(self, no_benchmark: MarketInputs) -> None:
        dip = np.ones(LENGTH)
        dip[10:66] = np.linspace(1.0, 0.5, 56)
        dip[65:121] = np.linspace(0.5, 1.0, 56)  # before the 168-bar volatility window
        close = no_benchmark.close[TARGET] * dip
        varied = with_value(no_benchmark, "close", TARGET, close)
        before = metric(no_benchmark, RISK, "max_drawdown")
        after = metric(varied, RISK, "max_drawdown")
        assert after.raw > 0.5
        assert after.raw > before.raw
        assert after.normalised == 0.0
        assert metric(varied, RISK, "volatility_annualised") == metric(
            no_benchmark, RISK, "volatility_annualised"
        )
        assert component_score(varied, RISK) < component_score(no_benchmark, RISK)

    def test_large_negative_beta_ranks_worst(self, base: MarketInputs) -> None:
        btc = base.close[0]
        mirrored = base.close[TARGET][0] * (btc[0] / btc) ** 2  # log returns = -2 x benchmark
        varied = with_value(base, "close", TARGET, mirrored)
        beta = metric(varied, RISK, "beta_to_benchmark")
        assert beta.raw == pytest.approx(-2.0)  # the lowest raw beta ...
        assert beta.normalised == 0.0  # ... but the largest magnitude

    def test_negative_correlation_is_best(self, base: MarketInputs) -> None:
        btc = base.close[0]
        varied = with_value(base, "close", TARGET, base.close[TARGET][0] * btc[0] / btc)
        corr = metric(varied, RISK, "correlation_to_benchmark")
        assert corr.raw == pytest.approx(-1.0)
        assert corr.normalised == 100.0

    def test_benchmark_outside_universe_leaves_beta_unmeasured(
        self, no_benchmark: MarketInputs
    ) -> None:
        for name in ("beta_to_benchmark", "correlation_to_benchmark"):
            assert metric(no_benchmark, RISK, name).normalised is None

    def test_more_turnover_per_open_interest_raises_score(self, base: MarketInputs) -> None:
        varied = with_value(
            base, "open_interest_usdt", TARGET, base.open_interest_usdt[TARGET] / 10
        )
        after = metric(varied, RISK, "turnover_to_open_interest")
        assert after.raw == pytest.approx(
            base.turnover_24h[TARGET] / (base.open_interest_usdt[TARGET] / 10)
        )
        assert after.normalised == 100.0
        assert component_score(varied, RISK) > component_score(base, RISK)
