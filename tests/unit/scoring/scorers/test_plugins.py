"""Scoring plug-ins: a registered scorer is computed, normalised, weighed and shown in the
breakdowns like a built-in metric, joining a component or standing as its own."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np
import pytest

from app.scoring.scorers.component_registry import (
    PluginError,
    ScorerPlugin,
    components,
    register,
    unregister,
)
from app.scoring.scorers.components import COMPONENTS, TECHNICAL
from app.scoring.scorers.composite import compute, explain
from app.scoring.scorers.market_inputs import MarketInputs
from app.scoring.scorers.normalise import HIGHER_IS_BETTER
from app.scoring.scorers.parameters import METRIC_WEIGHTS
from app.stats.rank import percentile_rank
from tests.plugins import TOY, close_to_high, toy_plugin
from tests.unit.scoring.scorers.universe import (
    EQUAL_WEIGHTS,
    LENGTH,
    config,
    make_universe,
    with_missing_candles,
)


@pytest.fixture(scope="module")
def inputs() -> MarketInputs:
    return make_universe()


class TestJoiningAComponent:
    def test_it_is_a_metric_of_the_component_in_every_breakdown(self, inputs: MarketInputs) -> None:
        with toy_plugin():
            outcome = explain(compute(inputs, config(EQUAL_WEIGHTS)))
        expected = percentile_rank(close_to_high(inputs, {}, {}), HIGHER_IS_BETTER)
        for score in outcome.scores:
            metrics = {m.name: m for m in score.components[TECHNICAL].metrics}
            toy = metrics[TOY]
            row = inputs.symbols.index(score.symbol)
            assert toy.weight == 1.0 and toy.raw == pytest.approx(
                close_to_high(inputs, {}, {})[row]
            )
            assert toy.normalised == pytest.approx(expected[row], abs=1e-6)
            assert sum(m.contribution for m in metrics.values()) == pytest.approx(
                score.components[TECHNICAL].score, abs=1e-5
            )

    def test_it_moves_the_component_score(self, inputs: MarketInputs) -> None:
        plain = compute(inputs, config(EQUAL_WEIGHTS)).components[TECHNICAL].score
        with toy_plugin():
            scored = compute(inputs, config(EQUAL_WEIGHTS)).components[TECHNICAL].score
        assert not np.allclose(plain, scored)

    def test_its_parameters_and_metric_weight_are_the_components(
        self, inputs: MarketInputs
    ) -> None:
        cfg = config(EQUAL_WEIGHTS)
        parameters = {TECHNICAL: {"plugins": {TOY: {"scale": 2.0}}, METRIC_WEIGHTS: {TOY: 3.0}}}
        with toy_plugin():
            table = compute(inputs, dataclasses.replace(cfg, parameters=parameters))
        metric = next(m for m in table.components[TECHNICAL].metrics if m.name == TOY)
        np.testing.assert_allclose(metric.raw, 2.0 * close_to_high(inputs, {}, {}))
        assert metric.weight == 3.0

    def test_a_symbol_short_of_its_warm_up_is_unmeasured(self, inputs: MarketInputs) -> None:
        short = with_missing_candles(inputs, 2, slice(0, LENGTH - 10))
        with toy_plugin(warm_up=50):
            table = compute(short, config(EQUAL_WEIGHTS))
        metric = next(m for m in table.components[TECHNICAL].metrics if m.name == TOY)
        assert np.isnan(metric.raw[2]) and np.isfinite(np.delete(metric.raw, 2)).all()


class TestStandingAlone:
    def test_a_component_of_its_own_is_weighed_in_the_composite(self, inputs: MarketInputs) -> None:
        with toy_plugin(component="toy"):
            assert components()[-1] == "toy" and components()[: len(COMPONENTS)] == COMPONENTS
            alone = compute(inputs, config({"toy": 1.0}))
            mixed = compute(inputs, config({**EQUAL_WEIGHTS, "toy": 1.0}))
        np.testing.assert_allclose(alone.composite, alone.components["toy"].score)
        weights = {**EQUAL_WEIGHTS, "toy": 1.0}
        expected = sum(w * mixed.components[c].score for c, w in weights.items()) / sum(
            weights.values()
        )
        np.testing.assert_allclose(mixed.composite, expected)
        assert "toy" not in components()  # unregistered again

    def test_it_reads_the_built_in_metrics_even_when_they_are_not_weighed(
        self, inputs: MarketInputs
    ) -> None:
        seen: dict[str, np.ndarray] = {}

        def spy(
            inp: MarketInputs, metrics: Mapping[str, np.ndarray], _: Mapping[str, Any]
        ) -> np.ndarray:
            seen.update(metrics)
            return metrics["rsi"]

        register(ScorerPlugin("spy", "spy", HIGHER_IS_BETTER, 0, spy))
        try:
            compute(inputs, config({"spy": 1.0}))
        finally:
            unregister("spy")
        assert {"rsi", "volatility_annualised", "funding_carry_bps_8h"} <= set(seen)


class TestRegistry:
    def test_a_wrong_shape_is_refused_with_the_plugins_name(self, inputs: MarketInputs) -> None:
        register(
            ScorerPlugin("broken", TECHNICAL, HIGHER_IS_BETTER, 0, lambda i, m, p: np.zeros(2))
        )
        try:
            with pytest.raises(PluginError, match="broken"):
                compute(inputs, config(EQUAL_WEIGHTS))
        finally:
            unregister("broken")

    def test_names_are_unique_and_declarations_checked(self) -> None:
        with toy_plugin(), pytest.raises(PluginError, match="registered already"):
            register(ScorerPlugin(TOY, TECHNICAL, HIGHER_IS_BETTER, 0, close_to_high))
        with pytest.raises(PluginError, match="direction"):
            register(ScorerPlugin("sideways", TECHNICAL, 0, 0, close_to_high))
