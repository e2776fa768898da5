"""The data-quality gate: one reason code per failing check, the first in REASONS order."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np
import pytest

from app.scoring.scorers.composite import score_universe
from app.scoring.scorers.gate import (
    CANDLE_GAPS,
    EXTREME_MOVE,
    INSUFFICIENT_HISTORY,
    NOT_OPEN,
    REASONS,
    STALE_TICKER,
    ZERO_VOLUME,
    GateParams,
    gate,
)
from app.scoring.scorers.market_inputs import MarketInputs
from tests.unit.scoring.scorers.universe import (
    LENGTH,
    LOOSE_GATE,
    SYMBOLS,
    TARGET,
    config,
    make_universe,
    with_missing_candles,
    with_value,
)

PARAMS = GateParams()  # min_history 200, max_gap_ratio 0.02, 300 s, |log return| 0.5, 24 bars


@pytest.fixture(scope="module")
def base() -> MarketInputs:
    return make_universe()


def reason(inputs: MarketInputs, params: GateParams = PARAMS) -> str | None:
    """The target's reason code; every other symbol must still pass."""
    reasons = gate(inputs, params)
    assert [r for i, r in enumerate(reasons) if i != TARGET] == [None] * (len(SYMBOLS) - 1)
    return reasons[TARGET]


# One way to fail each check, touching nothing another check reads.
def not_open(inputs: MarketInputs) -> MarketInputs:
    return with_value(inputs, "is_open", TARGET, False)


def short_history(inputs: MarketInputs) -> MarketInputs:
    return with_missing_candles(inputs, TARGET, slice(0, LENGTH - 150))  # 150 candles


def gappy(inputs: MarketInputs) -> MarketInputs:
    return with_missing_candles(inputs, TARGET, [170, 180, 190, 200, 210, 220, 230])  # 7/300


def silent(inputs: MarketInputs) -> MarketInputs:
    volume = inputs.volume[TARGET].copy()
    volume[-24:] = 0.0
    return with_value(inputs, "volume", TARGET, volume)


def stale(inputs: MarketInputs) -> MarketInputs:
    return with_value(inputs, "ticker_age_s", TARGET, 301.0)


def jumpy(inputs: MarketInputs) -> MarketInputs:
    close = inputs.close[TARGET].copy()
    close[250:] *= 1.7  # one bar of +70 %: log return 0.53
    return with_value(inputs, "close", TARGET, close)


FAILURES: dict[str, Callable[[MarketInputs], MarketInputs]] = {
    NOT_OPEN: not_open,
    INSUFFICIENT_HISTORY: short_history,
    CANDLE_GAPS: gappy,
    ZERO_VOLUME: silent,
    STALE_TICKER: stale,
    EXTREME_MOVE: jumpy,
}


class TestGate:
    def test_clean_universe_passes(self, base: MarketInputs) -> None:
        assert gate(base, PARAMS) == [None] * len(SYMBOLS)

    def test_reasons_order(self) -> None:
        assert REASONS == (
            NOT_OPEN,
            INSUFFICIENT_HISTORY,
            CANDLE_GAPS,
            ZERO_VOLUME,
            STALE_TICKER,
            EXTREME_MOVE,
        )

    @pytest.mark.parametrize("code", REASONS)
    def test_each_failure_alone_gives_its_code(self, base: MarketInputs, code: str) -> None:
        assert reason(FAILURES[code](base)) == code

    @pytest.mark.parametrize("first", range(len(REASONS)))
    def test_earliest_failing_check_wins(self, base: MarketInputs, first: int) -> None:
        inputs = base
        for code in REASONS[first:]:
            inputs = FAILURES[code](inputs)
        assert reason(inputs) == REASONS[first]


class TestNotOpen:
    def test_closed_symbol_is_not_open(self, base: MarketInputs) -> None:
        assert reason(not_open(base)) == NOT_OPEN


class TestInsufficientHistory:
    def test_fewer_candles_than_min_history(self, base: MarketInputs) -> None:
        inputs = with_missing_candles(base, TARGET, slice(0, LENGTH - 199))
        assert reason(inputs) == INSUFFICIENT_HISTORY

    def test_exactly_min_history_passes(self, base: MarketInputs) -> None:
        assert reason(with_missing_candles(base, TARGET, slice(0, LENGTH - 200))) is None

    def test_no_candles_at_all(self, base: MarketInputs) -> None:
        assert reason(with_missing_candles(base, TARGET, slice(None))) == INSUFFICIENT_HISTORY

    def test_threshold_comes_from_params(self, base: MarketInputs) -> None:
        params = GateParams(min_history=100)
        assert reason(short_history(base), params) is None


class TestCandleGaps:
    def test_more_than_two_percent_missing(self, base: MarketInputs) -> None:
        assert reason(with_missing_candles(base, TARGET, list(range(100, 107)))) == CANDLE_GAPS

    def test_exactly_two_percent_missing_passes(self, base: MarketInputs) -> None:
        assert reason(with_missing_candles(base, TARGET, list(range(100, 106)))) is None  # 6/300

    def test_threshold_comes_from_params(self, base: MarketInputs) -> None:
        assert reason(gappy(base), GateParams(max_gap_ratio=0.05)) is None

    def test_ratio_is_over_the_span_since_first_candle(self, base: MarketInputs) -> None:
        # Listed 250 candles ago (no gap by itself), then 5 holes: 5 / 250 = 2 % exactly passes,
        # 6 / 250 = 2.4 % fails; over the full 300-candle grid both would pass.
        listed = with_missing_candles(base, TARGET, slice(0, 50))
        assert reason(with_missing_candles(listed, TARGET, [100, 120, 140, 160, 180])) is None
        six = with_missing_candles(listed, TARGET, [100, 120, 140, 160, 180, 200])
        assert reason(six) == CANDLE_GAPS

    def test_recent_listing_without_holes_passes(self, base: MarketInputs) -> None:
        assert reason(with_missing_candles(base, TARGET, slice(0, 50))) is None

    def test_missing_latest_candles_count_as_gaps(self, base: MarketInputs) -> None:
        assert reason(with_missing_candles(base, TARGET, slice(LENGTH - 7, None))) == CANDLE_GAPS


class TestZeroVolume:
    def test_no_volume_over_the_lookback(self, base: MarketInputs) -> None:
        assert reason(silent(base)) == ZERO_VOLUME

    def test_volume_in_one_recent_bar_passes(self, base: MarketInputs) -> None:
        volume = base.volume[TARGET].copy()
        volume[-24:-1] = 0.0
        assert reason(with_value(base, "volume", TARGET, volume)) is None

    def test_zero_volume_before_the_lookback_passes(self, base: MarketInputs) -> None:
        volume = base.volume[TARGET].copy()
        volume[:-24] = 0.0
        assert reason(with_value(base, "volume", TARGET, volume)) is None

    def test_zero_turnover(self, base: MarketInputs) -> None:
        assert reason(with_value(base, "turnover_24h", TARGET, 0.0)) == ZERO_VOLUME

    def test_unknown_turnover(self, base: MarketInputs) -> None:
        assert reason(with_value(base, "turnover_24h", TARGET, np.nan)) == ZERO_VOLUME


class TestStaleTicker:
    def test_ticker_older_than_limit(self, base: MarketInputs) -> None:
        assert reason(stale(base)) == STALE_TICKER

    def test_ticker_exactly_at_limit_passes(self, base: MarketInputs) -> None:
        assert reason(with_value(base, "ticker_age_s", TARGET, 300.0)) is None

    def test_unknown_ticker_age(self, base: MarketInputs) -> None:
        assert reason(with_value(base, "ticker_age_s", TARGET, np.nan)) == STALE_TICKER

    def test_no_bid(self, base: MarketInputs) -> None:
        assert reason(with_value(base, "bid", TARGET, np.nan)) == STALE_TICKER

    def test_zero_bid(self, base: MarketInputs) -> None:
        assert reason(with_value(base, "bid", TARGET, 0.0)) == STALE_TICKER


class TestExtremeMove:
    def test_seventy_percent_jump(self, base: MarketInputs) -> None:
        assert reason(jumpy(base)) == EXTREME_MOVE

    def test_sixty_percent_jump_passes(self, base: MarketInputs) -> None:
        close = base.close[TARGET].copy()
        close[250:] *= 1.6  # log return 0.47 < 0.5
        assert reason(with_value(base, "close", TARGET, close)) is None

    def test_crash_is_measured_in_log_terms(self, base: MarketInputs) -> None:
        close = base.close[TARGET].copy()
        close[250:] *= 0.6  # -40 %: log return -0.51
        assert reason(with_value(base, "close", TARGET, close)) == EXTREME_MOVE

    def test_old_jump_in_window_still_counts(self, base: MarketInputs) -> None:
        close = base.close[TARGET].copy()
        close[5:] *= 1.7
        assert reason(with_value(base, "close", TARGET, close)) == EXTREME_MOVE

    def test_threshold_comes_from_params(self, base: MarketInputs) -> None:
        assert reason(jumpy(base), GateParams(max_abs_bar_return=0.6)) is None


class TestScoringOutcome:
    def test_short_history_symbol_is_excluded_with_its_code(self, base: MarketInputs) -> None:
        outcome = score_universe(short_history(base), config(gate=PARAMS))
        assert SYMBOLS[TARGET] not in {s.symbol for s in outcome.scores}
        assert outcome.excluded == {SYMBOLS[TARGET]: INSUFFICIENT_HISTORY}
        assert len(outcome.scores) == len(SYMBOLS) - 1

    @pytest.mark.parametrize("code", REASONS)
    def test_every_excluded_symbol_carries_its_code(self, base: MarketInputs, code: str) -> None:
        outcome = score_universe(FAILURES[code](base), config(gate=PARAMS))
        assert outcome.excluded == {SYMBOLS[TARGET]: code}
        assert SYMBOLS[TARGET] not in {s.symbol for s in outcome.scores}

    def test_nothing_passes_gives_no_scores(self, base: MarketInputs) -> None:
        closed = with_value(base, "is_open", slice(None), False)
        outcome = score_universe(closed, config(gate=PARAMS))
        assert outcome.scores == []
        assert outcome.excluded == dict.fromkeys(SYMBOLS, NOT_OPEN)


class TestMovesAcrossHoles:
    def test_a_jump_across_a_missing_candle_is_still_extreme(self) -> None:
        base = make_universe()
        close = base.close.copy()
        close[TARGET, 250:] *= 1.7
        close[TARGET, 250] = np.nan  # the candle of the jump is missing
        strict = dataclasses.replace(LOOSE_GATE, max_abs_bar_return=0.5)
        reasons = gate(dataclasses.replace(base, close=close), strict)
        assert reasons[TARGET] == EXTREME_MOVE
