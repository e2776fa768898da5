"""Calibration arithmetic: accuracy with a prior, bounded weights, Brier score, returns."""

from __future__ import annotations

import pytest

from app.signals.voting.agent_weights import (
    MAX_WEIGHT,
    MIN_WEIGHT,
    ScoredVote,
    calibrate,
    forecast,
    forward_return,
    horizon_hours,
)


class TestCalibrate:
    def test_a_new_agent_weighs_one(self) -> None:
        record = calibrate([])
        assert (record.votes, record.hit_rate, record.brier, record.weight) == (0, None, None, 1.0)

    def test_a_right_agent_gains_weight_and_is_bounded(self) -> None:
        twenty = calibrate([ScoredVote("approve", 0.6, True)] * 20)
        assert twenty.accuracy == pytest.approx(25 / 30, abs=1e-6)
        assert twenty.weight == pytest.approx(2 * 25 / 30, abs=1e-6)
        assert calibrate([ScoredVote("approve", 0.6, True)] * 1000).weight == MAX_WEIGHT

    def test_a_wrong_agent_loses_weight_down_to_the_floor(self) -> None:
        wrong = calibrate([ScoredVote("reject", 0.5, True)] * 10)
        assert wrong.hits == 0 and wrong.weight == pytest.approx(2 * 5 / 20, abs=1e-6)
        assert calibrate([ScoredVote("reject", 0.5, True)] * 1000).weight == MIN_WEIGHT

    def test_abstentions_do_not_count(self) -> None:
        record = calibrate([ScoredVote("abstain", 0.0, True), ScoredVote("approve", 1.0, False)])
        assert (record.votes, record.hits) == (1, 0)

    def test_brier_by_hand(self) -> None:
        # forecasts 0.8 (approve 0.6, success), 0.3 (reject 0.4, failure) -> (0.2^2 + 0.3^2) / 2
        record = calibrate([ScoredVote("approve", 0.6, True), ScoredVote("reject", 0.4, False)])
        assert record.brier == pytest.approx((0.04 + 0.09) / 2, abs=1e-9)
        assert forecast("approve", 0.6) == pytest.approx(0.8)


class TestReturns:
    def test_a_sell_gains_when_the_price_falls(self) -> None:
        assert forward_return("BUY", 100.0, 105.0) == pytest.approx(0.05)
        assert forward_return("SELL", 100.0, 95.0) == pytest.approx(0.05)

    def test_horizons(self) -> None:
        assert (horizon_hours("1h"), horizon_hours("1D"), horizon_hours(None)) == (1.0, 24.0, 4.0)
