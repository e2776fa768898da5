"""assemble: plain rows onto the hourly grid and per-symbol vectors, NaN for everything missing."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from app.market.contracts.depth import BOOK_LEVELS
from app.scoring.scorers.assemble import FUNDING_POINTS, SymbolValues, assemble
from app.scoring.scorers.market_inputs import MarketInputs

HOUR = 3_600_000
END = 1_700_002_800_000  # open time of the newest grid candle
LENGTH = 5
START = END - (LENGTH - 1) * HOUR


def values(symbol: str, **overrides: object) -> SymbolValues:
    fields: dict[str, object] = {
        "symbol": symbol,
        "is_open": True,
        "turnover_24h": 1e6,
        "open_interest_usdt": 5e5,
        "previous_open_interest_usdt": 4e5,
        "funding_rate": 1e-4,
        "funding_interval_h": 8.0,
        "funding_history": (1e-4, 2e-4),
        "ticker_age_s": 3.0,
        "bids": ((99.0, 2.0), (98.0, 3.0)),
        "asks": ((101.0, 1.0), (102.0, 4.0)),
        "multiplier": 1.0,
    }
    fields.update(overrides)
    return SymbolValues(**fields)  # type: ignore[arg-type]


def candle(symbol: str, open_ms: int, close: float = 10.0, volume: float = 3.0) -> tuple:
    return (symbol, open_ms, close - 1, close + 2, close - 2, close, volume)


def placed(rows: list[SymbolValues], candles: Sequence[tuple]) -> np.ndarray:
    """The array `assemble` reads: each candle's symbol as its position in `rows` (-1: none)."""
    position = {v.symbol: i for i, v in enumerate(rows)}
    return np.array([(position.get(c[0], -1), *c[1:]) for c in candles], dtype=float)


def build(
    rows: list[SymbolValues], candles: Sequence[tuple] = (), **kwargs: object
) -> MarketInputs:
    return assemble(rows, placed(rows, candles), END, LENGTH, **kwargs)  # type: ignore[arg-type]


class TestCandleGrid:
    def test_shapes_follow_symbols_and_length(self) -> None:
        inputs = build([values("A"), values("B")])
        assert inputs.symbols == ["A", "B"]
        for name in ("open", "high", "low", "close", "volume"):
            assert getattr(inputs, name).shape == (2, LENGTH)

    def test_candle_lands_in_its_column(self) -> None:
        inputs = build([values("A"), values("B")], [candle("B", START + 2 * HOUR, close=7.0)])
        assert inputs.close[1, 2] == 7.0
        assert np.isnan(np.delete(inputs.close.ravel(), 1 * LENGTH + 2)).all()

    def test_all_five_fields_are_stored(self) -> None:
        inputs = build([values("A")], [("A", START, 1.0, 4.0, 0.5, 2.0, 9.0)])
        column = [getattr(inputs, n)[0, 0] for n in ("open", "high", "low", "close", "volume")]
        assert column == [1.0, 4.0, 0.5, 2.0, 9.0]

    def test_first_and_last_grid_columns(self) -> None:
        inputs = build([values("A")], [candle("A", START, 1.0), candle("A", END, 5.0)])
        assert (inputs.close[0, 0], inputs.close[0, -1]) == (1.0, 5.0)

    def test_candles_outside_the_window_are_ignored(self) -> None:
        inputs = build([values("A")], [candle("A", START - HOUR), candle("A", END + HOUR)])
        assert np.isnan(inputs.close).all()

    def test_off_grid_candles_are_ignored(self) -> None:
        inputs = build([values("A")], [candle("A", START + HOUR // 2), candle("A", END - 1)])
        assert np.isnan(inputs.close).all()

    def test_unknown_symbol_is_ignored(self) -> None:
        inputs = build([values("A")], [candle("Z", START)])
        assert np.isnan(inputs.close).all()

    def test_missing_candle_is_nan_in_every_field(self) -> None:
        inputs = build([values("A")], [candle("A", START), candle("A", END)])
        for name in ("open", "high", "low", "close", "volume"):
            assert np.isnan(getattr(inputs, name)[0, 1:-1]).all()

    def test_volume_is_multiplied_by_contract_multiplier(self) -> None:
        inputs = build([values("A", multiplier=0.01)], [candle("A", END, volume=300.0)])
        assert inputs.volume[0, -1] == pytest.approx(3.0)
        assert inputs.close[0, -1] == 10.0  # prices are not scaled

    def test_each_symbol_uses_its_own_multiplier(self) -> None:
        rows = [values("A", multiplier=10.0), values("B", multiplier=0.1)]
        inputs = build(rows, [candle("A", END, volume=2.0), candle("B", END, volume=2.0)])
        assert inputs.volume[:, -1] == pytest.approx([20.0, 0.2])

    def test_custom_step(self) -> None:
        step = 4 * HOUR
        rows = [values("A")]
        inputs = assemble(rows, placed(rows, [candle("A", END - step)]), END, 3, step_ms=step)
        assert inputs.close.shape == (1, 3)
        assert inputs.close[0, 1] == 10.0

    def test_no_candles_at_all_leave_the_grid_empty(self) -> None:
        inputs = assemble([values("A")], np.empty((0, 7)), END, LENGTH)
        assert np.isnan(inputs.close).all() and inputs.close.shape == (1, LENGTH)


class TestSymbolVectors:
    def test_values_in_symbol_order(self) -> None:
        rows = [values("A", turnover_24h=1.0), values("B", turnover_24h=2.0, is_open=False)]
        inputs = build(rows)
        assert inputs.turnover_24h.tolist() == [1.0, 2.0]
        assert inputs.is_open.tolist() == [True, False]
        assert inputs.is_open.dtype == bool

    @pytest.mark.parametrize(
        "name",
        [
            "turnover_24h",
            "open_interest_usdt",
            "previous_open_interest_usdt",
            "funding_rate",
            "funding_interval_h",
            "ticker_age_s",
        ],
    )
    def test_none_becomes_nan(self, name: str) -> None:
        inputs = build([values("A", **{name: None}), values("B")])
        vector = getattr(inputs, name)
        assert vector.dtype == float
        assert np.isnan(vector[0])
        assert not np.isnan(vector[1])

    def test_benchmark_is_passed_through(self) -> None:
        assert build([values("A")], benchmark="ETHUSDT").benchmark == "ETHUSDT"
        assert build([values("A")]).benchmark == "BTCUSDT"


class TestFundingHistory:
    def test_right_aligned_and_nan_padded(self) -> None:
        rows = [values("A", funding_history=(1.0, 2.0)), values("B", funding_history=(3, 4, 5))]
        np.testing.assert_array_equal(
            build(rows).funding_history, [[np.nan, 1.0, 2.0], [3.0, 4.0, 5.0]]
        )

    def test_symbol_without_history_is_all_nan(self) -> None:
        rows = [values("A", funding_history=()), values("B", funding_history=(1.0, 2.0))]
        np.testing.assert_array_equal(build(rows).funding_history, [[np.nan, np.nan], [1.0, 2.0]])

    def test_no_history_at_all_gives_one_nan_column(self) -> None:
        rows = [values("A", funding_history=()), values("B", funding_history=())]
        history = build(rows).funding_history
        assert history.shape == (2, 1)
        assert np.isnan(history).all()

    def test_only_the_newest_points_are_kept(self) -> None:
        series = tuple(float(k) for k in range(FUNDING_POINTS + 10))
        history = build([values("A", funding_history=series)]).funding_history
        assert history.shape == (1, FUNDING_POINTS)
        assert history[0].tolist() == list(series[-FUNDING_POINTS:])


class TestBook:
    def test_levels_padded_to_twenty_with_nan(self) -> None:
        inputs = build([values("A")])
        assert inputs.bid_levels.shape == (1, BOOK_LEVELS, 2)
        assert inputs.ask_levels.shape == (1, BOOK_LEVELS, 2)
        np.testing.assert_array_equal(inputs.bid_levels[0, :2], [[99.0, 2.0], [98.0, 3.0]])
        np.testing.assert_array_equal(inputs.ask_levels[0, :2], [[101.0, 1.0], [102.0, 4.0]])
        assert np.isnan(inputs.bid_levels[0, 2:]).all()
        assert np.isnan(inputs.ask_levels[0, 2:]).all()

    def test_bid_and_ask_are_best_levels(self) -> None:
        inputs = build([values("A"), values("B", bids=((50.0, 1.0),), asks=((51.0, 1.0),))])
        assert inputs.bid.tolist() == [99.0, 50.0]
        assert inputs.ask.tolist() == [101.0, 51.0]

    def test_empty_book_gives_nan(self) -> None:
        inputs = build([values("A", bids=(), asks=())])
        assert np.isnan(inputs.bid[0])
        assert np.isnan(inputs.ask[0])
        assert np.isnan(inputs.bid_levels).all()
        assert np.isnan(inputs.ask_levels).all()

    def test_one_sided_book(self) -> None:
        inputs = build([values("A", asks=())])
        assert inputs.bid[0] == 99.0
        assert np.isnan(inputs.ask[0])

    def test_deeper_books_are_cut_at_twenty_levels(self) -> None:
        asks = tuple((100.0 + k, 1.0) for k in range(30))
        levels = build([values("A", asks=asks)]).ask_levels
        assert levels.shape == (1, BOOK_LEVELS, 2)
        assert levels[0, -1].tolist() == [119.0, 1.0]


class TestDeterminism:
    def test_same_rows_give_equal_arrays(self) -> None:
        rows = [values("A"), values("B", previous_open_interest_usdt=None)]
        candles = [candle("A", START), candle("B", END, volume=1.5)]
        first, second = build(rows, candles), build(rows, list(reversed(candles)))
        for name in (
            "close",
            "volume",
            "funding_history",
            "bid_levels",
            "previous_open_interest_usdt",
        ):
            np.testing.assert_array_equal(getattr(first, name), getattr(second, name))
