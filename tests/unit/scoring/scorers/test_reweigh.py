"""Metric weights (`metric_weights`, 0 = off) and `reweigh`: a table scored once re-weighed to
any component and metric weights gives exactly what `compute` gives with those weights."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from app.scoring.scorers.components import FUNDAMENTAL, MARKET_STRUCTURE, RISK, TECHNICAL
from app.scoring.scorers.composite import (
    METRIC_WEIGHTS,
    UNMEASURED,
    ScoreTable,
    ScoringConfig,
    compute,
    explain,
    reweigh,
)
from app.scoring.scorers.market_inputs import MarketInputs
from tests.unit.scoring.scorers.universe import EQUAL_WEIGHTS, config, make_universe

EVERYTHING = config(EQUAL_WEIGHTS)


def with_metric_weights(cfg: ScoringConfig, weights: dict[str, dict[str, float]]) -> ScoringConfig:
    parameters = {name: dict(p) for name, p in cfg.parameters.items()}
    for name, chosen in weights.items():
        parameters.setdefault(name, {})[METRIC_WEIGHTS] = chosen
    return dataclasses.replace(cfg, parameters=parameters)


def assert_same(a: ScoreTable, b: ScoreTable) -> None:
    assert a.reasons == b.reasons
    np.testing.assert_array_equal(a.composite, b.composite)
    np.testing.assert_array_equal(a.confidence, b.confidence)
    assert list(a.components) == list(b.components)
    for name in a.components:
        x, y = a.components[name], b.components[name]
        np.testing.assert_array_equal(x.score, y.score)
        assert [m.weight for m in x.metrics] == [m.weight for m in y.metrics]
        for p, q in zip(x.contributions, y.contributions, strict=True):
            np.testing.assert_array_equal(p, q)


@pytest.fixture(scope="module")
def inputs() -> MarketInputs:
    return make_universe()


@pytest.fixture(scope="module")
def everything(inputs: MarketInputs) -> ScoreTable:
    return compute(inputs, EVERYTHING)


CASES = [
    {TECHNICAL: 0.4, FUNDAMENTAL: 0.3, MARKET_STRUCTURE: 0.2, RISK: 0.1},
    {TECHNICAL: 0.0, FUNDAMENTAL: 0.5, MARKET_STRUCTURE: 0.0, RISK: 0.5},
    {TECHNICAL: 1.0, FUNDAMENTAL: 0.0, MARKET_STRUCTURE: 0.0, RISK: 0.0},
]


class TestReweigh:
    @pytest.mark.parametrize("weights", CASES)
    def test_component_weights_match_a_fresh_computation(
        self, inputs: MarketInputs, everything: ScoreTable, weights: dict[str, float]
    ) -> None:
        cfg = config(weights)
        assert_same(reweigh(everything, cfg), compute(inputs, cfg))

    def test_metrics_switched_off_match_a_fresh_computation(
        self, inputs: MarketInputs, everything: ScoreTable
    ) -> None:
        cfg = with_metric_weights(
            config(CASES[0]),
            {TECHNICAL: {"bollinger_bandwidth": 0.0, "rsi": 2.5}, RISK: {"max_drawdown": 0.0}},
        )
        assert_same(reweigh(everything, cfg), compute(inputs, cfg))

    def test_a_component_the_table_lacks_cannot_be_weighed(self, inputs: MarketInputs) -> None:
        technical_only = compute(inputs, config(CASES[2]))
        with pytest.raises(ValueError, match="risk"):
            reweigh(technical_only, config(CASES[1]))


class TestMetricWeights:
    def test_a_metric_switched_off_contributes_nothing_and_shows_weight_zero(
        self, inputs: MarketInputs
    ) -> None:
        off = with_metric_weights(EVERYTHING, {TECHNICAL: {"bollinger_bandwidth": 0.0}})
        score = explain(compute(inputs, off)).scores[0]
        metrics = {m.name: m for m in score.components[TECHNICAL].metrics}
        assert metrics["bollinger_bandwidth"].weight == 0.0
        assert metrics["bollinger_bandwidth"].contribution == 0.0
        assert metrics["bollinger_bandwidth"].normalised is not None  # still measured, shown
        others = [m for n, m in metrics.items() if n != "bollinger_bandwidth"]
        assert sum(m.contribution for m in others) == pytest.approx(
            score.components[TECHNICAL].score, abs=1e-5
        )

    def test_a_component_with_every_metric_off_measures_nothing(self, inputs: MarketInputs) -> None:
        table = compute(inputs, config({TECHNICAL: 1.0}))
        names = [m.name for m in table.components[TECHNICAL].metrics]
        off = with_metric_weights(config({TECHNICAL: 1.0}), {TECHNICAL: dict.fromkeys(names, 0.0)})
        silent = compute(inputs, off)
        assert np.isnan(silent.composite).all() and np.isnan(silent.confidence).all()
        scored = [k for k, r in enumerate(table.reasons) if r is None]
        assert scored and all(silent.reasons[k] == UNMEASURED for k in scored)
