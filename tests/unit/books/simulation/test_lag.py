"""Judged as it trades: a decision at t trades at the close of t + `execution_lag_h`, and its
information coefficients, decile spreads and swap outcomes run from there. A planted one-hour
reversal is skill at lag 0 and nothing at lag 1."""

from __future__ import annotations

import numpy as np
import pytest

from app.books.simulation.coefficients import InformationCoefficients
from app.books.simulation.policy import PolicyDecision
from app.books.simulation.replay_params import ReplayParams
from app.books.simulation.selection_record import SelectionRecorder
from app.books.simulation.selection_skill import SelectionSeries
from app.platform.core.units import HOUR_MS
from tests.replay_data import DAY_START_MS
from tests.unit.books.simulation.test_selection import hand_context, history_of, no_decision

DAY_MS = 24 * HOUR_MS
N, DAYS, WARM_UP = 30, 40, 8


def reversal_history() -> tuple[np.ndarray, list[str]]:
    """Hourly closes where the candle closing at each whole day moves each contract by a shock
    the next candle takes back; every other hour is small noise."""
    rng = np.random.default_rng(7)
    hours = 24 * (WARM_UP + DAYS + 2)
    returns = rng.normal(0.0, 0.001, (N, hours))
    for day in range(1, WARM_UP + DAYS + 2):
        column = 24 * day - 1  # the candle closing at the day's 00:00
        shock = rng.normal(0.0, 0.03, N)
        returns[:, column] += shock
        if column + 1 < hours:
            returns[:, column + 1] -= shock
    return 100.0 * np.exp(np.cumsum(returns, axis=1)), [f"R{i:02d}USDT" for i in range(N)]


@pytest.fixture(scope="module")
def judged() -> dict[int, tuple[dict[str, float], SelectionSeries]]:
    """Per lag: the composite's mean IC (raw) and the selection series, scoring each contract
    at t by how far its last candle fell (what a reversal signal reads; nothing after t)."""
    closes, names = reversal_history()
    history = history_of(closes, names)
    start = DAY_START_MS + WARM_UP * DAY_MS
    out = {}
    for lag in (0, 1):
        params = ReplayParams(start, start + DAYS * DAY_MS, 24, execution_lag_h=lag)
        times = params.decision_times()
        entries = params.execution_times(history.last_close_ms())
        ics = InformationCoefficients(history, "BTCUSDT")
        recorder = SelectionRecorder(history, ["policy"], params)
        for d, t in enumerate(times):
            last = history.at(t).candles("close", 2)
            ctx = hand_context(history, t, -np.log(last[:, 1] / last[:, 0]))
            ics.add(ctx, entries[d + 1], entries[d])
            recorder.add(ctx, [ctx], no_decision(), entries[d + 1], entries[d])
        flat = np.ones((entries[-1] - entries[0]) // HOUR_MS + 1)
        composite = ics.summary()["composite"]
        out[lag] = (composite, recorder.series({"flat": flat}, times, entries, params.cost_rate))
    return out


class TestPlantedReversal:
    def test_at_lag_0_the_reversal_is_skill(self, judged: dict) -> None:
        composite, series = judged[0]
        assert composite["n"] == DAYS
        assert composite["mean"] > 0.5
        assert np.nanmean(series.rankings["policy"].ic_raw) > 0.5
        assert np.nanmean(series.rankings["policy"].spread_raw) > 0.02

    def test_at_lag_1_it_is_gone(self, judged: dict) -> None:
        composite, series = judged[1]
        assert composite["n"] == DAYS
        assert abs(composite["mean"]) < 0.1
        assert abs(composite["t"]) < 2.5
        assert abs(np.nanmean(series.rankings["policy"].ic_raw)) < 0.1


class TestExecutionTimes:
    params = ReplayParams(DAY_START_MS, DAY_START_MS + 3 * DAY_MS, 24, execution_lag_h=2)

    def test_each_decision_trades_lag_hours_later_and_the_books_run_as_long_past_the_end(
        self,
    ) -> None:
        last = DAY_START_MS + 10 * DAY_MS
        assert self.params.execution_times(last) == [
            DAY_START_MS + 2 * HOUR_MS,
            DAY_START_MS + DAY_MS + 2 * HOUR_MS,
            DAY_START_MS + 2 * DAY_MS + 2 * HOUR_MS,
            DAY_START_MS + 3 * DAY_MS + 2 * HOUR_MS,
        ]

    def test_a_history_ending_sooner_shortens_the_last_period(self) -> None:
        last = self.params.end_ms + HOUR_MS
        assert self.params.valued_to(last) == last
        assert self.params.execution_times(last)[-2:] == [
            DAY_START_MS + 2 * DAY_MS + 2 * HOUR_MS,
            last,
        ]

    def test_lag_0_is_the_decision_times_and_the_end(self) -> None:
        params = ReplayParams(DAY_START_MS, DAY_START_MS + 3 * DAY_MS, 24, execution_lag_h=0)
        times = params.decision_times()
        assert params.execution_times(DAY_START_MS + 10 * DAY_MS) == [*times, params.end_ms]


class TestSwapsFromTheTrade:
    def outcomes(self, lag: int) -> np.ndarray:
        """A -> B swapped at t; B jumps 10 % in the candle closing an hour after t."""
        t = DAY_START_MS + 2 * DAY_MS
        closes = np.full((2, 24 * 12), 100.0)
        closes[1, (t - DAY_START_MS) // HOUR_MS :] = 110.0  # the candle closing at t + 1 h on
        history = history_of(closes, ["AUSDT", "BUSDT"])
        params = ReplayParams(t, t + DAY_MS, 24, fee_bps=0.0, execution_lag_h=lag)
        entries = params.execution_times(history.last_close_ms())
        recorder = SelectionRecorder(history, ["policy"], params)
        swap = {"member": "AUSDT", "outsider": "BUSDT", "lead": 5.0, "reasons": []}
        decision = PolicyDecision(["BUSDT"], {}, True, [swap], [], [])
        ctx = hand_context(history, t, np.array([1.0, 2.0]))
        recorder.add(ctx, [ctx], decision, entries[1], entries[0])
        return recorder.series({}, [t], entries).executed.outcomes[0]

    def test_at_lag_0_the_swap_catches_the_next_hours_jump(self) -> None:
        assert self.outcomes(0)[:2] == pytest.approx([0.1, 0.1], abs=1e-12)

    def test_at_lag_1_it_trades_after_the_jump(self) -> None:
        assert self.outcomes(1)[:2] == pytest.approx([0.0, 0.0], abs=1e-12)
