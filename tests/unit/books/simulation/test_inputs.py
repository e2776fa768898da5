"""The replay's scorer inputs: open, high and low windows are the history's when read, copied
only then; the built-in scorer reads none of them, a plug-in that does gets the real ones. Their
returns and candle counts, read from the history's, are those of the windows."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np
import pytest

from app.books.replay_config import default_run_config, policy_config
from app.books.simulation.decision_context import stage_one
from app.books.simulation.history_inputs import WindowedInputs, market_inputs
from app.books.simulation.market_history import MarketHistory
from app.configuration.registry import DEFAULTS
from app.platform.core.units import HOUR_MS
from app.scoring.scorers.component_registry import ScorerPlugin, register, unregister
from app.scoring.scorers.composite import ScoringConfig, compute
from app.scoring.scorers.gate import biggest_moves
from app.scoring.scorers.indicators import forward_fill
from app.scoring.scorers.market_inputs import MarketInputs
from app.scoring.scorers.normalise import HIGHER_IS_BETTER
from tests.replay_data import START_MS, random_walks

POLICY = policy_config(default_run_config(), DEFAULTS)
HISTORY = random_walks(30, 40 * 24)
VIEW = HISTORY.at(START_MS + 35 * 24 * HOUR_MS)
ROWS = stage_one(VIEW, POLICY, set())
WINDOWS = ("open", "high", "low")


def inputs() -> MarketInputs:
    return market_inputs(VIEW, ROWS, candles=POLICY.candles, benchmark=POLICY.benchmark)


def every_component() -> ScoringConfig:
    weights = dict.fromkeys(("technical", "fundamental", "market_structure", "risk"), 1.0)
    return dataclasses.replace(POLICY.scoring, weights=weights)


def test_windows_are_the_historys_when_read() -> None:
    built = inputs()
    assert isinstance(built, WindowedInputs)
    for name in (*WINDOWS, "close", "volume"):
        np.testing.assert_array_equal(
            getattr(built, name), VIEW.candles(name, POLICY.candles)[ROWS]
        )


def test_the_built_in_scorer_reads_no_open_high_or_low() -> None:
    built = inputs()
    table = compute(built, every_component())
    assert (~np.isnan(table.composite)).sum() > 10
    assert not set(WINDOWS) & set(vars(built))  # never copied


def test_a_plug_in_reads_the_real_windows() -> None:
    seen: dict[str, np.ndarray] = {}

    def spread(
        inp: MarketInputs, _metrics: Mapping[str, np.ndarray], _params: Mapping[str, Any]
    ) -> np.ndarray:
        seen.update(open=inp.open, high=inp.high, low=inp.low)
        return np.asarray(inp.high[:, -1] - inp.low[:, -1])

    register(ScorerPlugin("spread", "spread", HIGHER_IS_BETTER, 0, spread))
    try:
        weights = {**every_component().weights, "spread": 1.0}
        compute(inputs(), dataclasses.replace(POLICY.scoring, weights=weights))
    finally:
        unregister("spread")
    assert set(seen) == set(WINDOWS)
    for name in WINDOWS:
        np.testing.assert_array_equal(seen[name], VIEW.candles(name, POLICY.candles)[ROWS])


def test_a_replaced_copy_holds_every_window() -> None:
    built = inputs()
    copy = dataclasses.replace(built, benchmark="")
    assert copy.benchmark == "" and built.benchmark == POLICY.benchmark
    for name in WINDOWS:
        np.testing.assert_array_equal(vars(copy)[name], getattr(built, name))


def test_fields_missing_or_unknown_are_refused() -> None:
    fields = {name: value for name, value in vars(inputs()).items() if name != "_source"}
    with pytest.raises(TypeError, match="turnover_24h"):
        WindowedInputs.of(
            VIEW, ROWS, POLICY.candles, **{k: v for k, v in fields.items() if k != "turnover_24h"}
        )
    with pytest.raises(TypeError, match="opening"):
        WindowedInputs.of(VIEW, ROWS, POLICY.candles, **fields, opening=0)


def holed_history() -> MarketHistory:
    """30 walks with late listings, holes and a non-positive close."""
    history = random_walks(30, 40 * 24, seed=11)
    rng = np.random.default_rng(5)
    for i in range(1, 30, 3):
        history.close[i, : rng.integers(0, 30 * 24)] = np.nan
    for i in range(2, 30, 4):
        at = rng.integers(0, 39 * 24)
        history.close[i, at : at + rng.integers(1, 30)] = np.nan
    history.close[4, 500] = 0.0
    return history


@pytest.mark.parametrize("hours", [1, 2, 24, 720, 1200])
def test_returns_and_candle_counts_are_those_of_the_windows(hours: int) -> None:
    history = holed_history()
    rows = np.arange(0, 30, 2)
    for t_ms in range(START_MS + HOUR_MS, history.last_close_ms() + 1, 13 * HOUR_MS):
        view = history.at(t_ms)
        built = market_inputs(view, rows, candles=hours, benchmark=POLICY.benchmark)
        fields = {f.name: getattr(built, f.name) for f in dataclasses.fields(MarketInputs)}
        measured = MarketInputs(**fields)
        for name in ("returns", "present_count", "first_present", "has_gaps"):
            assert np.array_equal(getattr(built, name), getattr(measured, name), equal_nan=True)


def test_the_gate_measures_moves_as_over_the_forward_filled_closes() -> None:
    history = holed_history()
    rows = np.arange(30)
    for t_ms in range(START_MS + 35 * 24 * HOUR_MS, history.last_close_ms() + 1, 7 * HOUR_MS):
        built = market_inputs(history.at(t_ms), rows, candles=720, benchmark=POLICY.benchmark)
        with np.errstate(invalid="ignore", divide="ignore"):
            moves = np.abs(np.diff(np.log(forward_fill(built.close)), axis=1))
        expected = np.max(np.nan_to_num(moves), axis=1, initial=0.0)
        assert np.array_equal(biggest_moves(built), expected)
