"""Inputs at the edge of the maths: a flat window, constant funding, a window longer than the
history, and the candles a configuration must load. Each of these once gave a wrong number."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from app.scoring.run_config import DEFAULT_ALGORITHMS
from app.scoring.scorers.components import FUNDAMENTAL, candles_needed, fundamental, technical
from app.scoring.scorers.market_inputs import MarketInputs
from tests.unit.scoring.scorers.universe import SYMBOLS, TARGET, make_universe, with_missing_candles

FLAT_PRICES = (0.1, 0.3, 1.1, 3.3, 0.7, 123.456)  # std of 20 copies: 1e-17 to 1e-14, not 0


def metric(metrics: list, name: str) -> np.ndarray:
    return next(m.raw for m in metrics if m.name == name)


def with_flat_tail(inputs: MarketInputs, prices: tuple[float, ...], bars: int) -> MarketInputs:
    """Every symbol's last `bars` candles at one price each (`prices[i]` for symbol i)."""
    fields = {}
    for name in ("open", "high", "low", "close"):
        array = getattr(inputs, name).copy()
        for i, price in enumerate(prices):
            array[i, -bars:] = price
        fields[name] = array
    return dataclasses.replace(inputs, **fields)


class TestFlatBollingerWindow:
    def test_percent_b_is_the_middle_and_the_bandwidth_zero(self) -> None:
        inputs = with_flat_tail(make_universe(), FLAT_PRICES, bars=30)
        metrics = technical(inputs, {})
        assert metric(metrics, "bollinger_pct_b").tolist() == [0.5] * len(SYMBOLS)
        assert metric(metrics, "bollinger_bandwidth").tolist() == [0.0] * len(SYMBOLS)

    def test_a_band_of_real_width_is_kept(self) -> None:
        pct_b = metric(technical(make_universe(), {}), "bollinger_pct_b")
        assert np.all((pct_b != 0.5) & np.isfinite(pct_b))


class TestConstantFunding:
    def test_constant_series_are_equally_stable_whatever_their_level_and_length(self) -> None:
        base = make_universe()
        history = np.full_like(base.funding_history, np.nan)
        for i, (rate, count) in enumerate(
            [(1e-4, 42), (1e-4, 21), (3e-4, 42), (1e-4, 30), (-2e-4, 42), (5e-5, 10)]
        ):
            history[i, -count:] = rate
        inputs = dataclasses.replace(base, funding_history=history)
        stability = metric(fundamental(inputs, {}), "funding_volatility_bps_8h")
        assert stability.tolist() == [0.0] * len(SYMBOLS)

    def test_a_varying_series_is_less_stable(self) -> None:
        stability = metric(fundamental(make_universe(), {}), "funding_volatility_bps_8h")
        assert np.all(stability > 1e-6)


class TestVolumeGrowthWindow:
    def test_a_window_longer_than_the_loaded_candles_is_unmeasured(self) -> None:
        inputs = make_universe()  # 300 hours
        growth = metric(fundamental(inputs, {"volume_growth_windows_d": [7, 30]}), "volume_growth")
        assert np.isnan(growth).all()

    def test_a_bar_missing_at_the_start_of_the_window_does_not_shorten_it(self) -> None:
        # The 240-hour window opens at column 60; the target's history at column 62.
        inputs = with_missing_candles(make_universe(), TARGET, slice(0, 62))
        growth = metric(fundamental(inputs, {"volume_growth_windows_d": [3, 10]}), "volume_growth")
        assert np.isfinite(growth).all()

    def test_a_symbol_whose_history_is_shorter_than_the_window_is_unmeasured(self) -> None:
        inputs = with_missing_candles(make_universe(), TARGET, slice(0, 100))
        growth = metric(fundamental(inputs, {"volume_growth_windows_d": [3, 10]}), "volume_growth")
        assert np.isnan(growth[TARGET])
        assert np.isfinite(np.delete(growth, TARGET)).all()

    def test_a_covered_window_is_measured_over_exactly_its_days(self) -> None:
        inputs = make_universe()
        growth = metric(fundamental(inputs, {"volume_growth_windows_d": [3, 12]}), "volume_growth")
        quote = inputs.volume * inputs.close
        expected = quote[:, -72:].mean(axis=1) / quote[:, -288:].mean(axis=1)
        assert growth == pytest.approx(expected, rel=1e-12)


class TestCandlesNeeded:
    def test_the_default_configuration_loads_thirty_days(self) -> None:
        parameters = {name: params for name, (_, params) in DEFAULT_ALGORITHMS.items()}
        assert candles_needed(parameters) == 30 * 24 + 1  # technical v2's 30-day momentum

    def test_the_longest_window_decides(self) -> None:
        assert candles_needed({FUNDAMENTAL: {"volume_growth_windows_d": [3, 5]}}) == 169
        assert candles_needed({"risk": {"volatility_window": 400}}) == 720
