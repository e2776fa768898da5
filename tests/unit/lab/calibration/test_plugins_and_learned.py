"""Plug-ins in replay and calibration with no other code; the learned scorer: trained on
training windows only, stored with the range it saw, refusing to score before its data ends,
and judged out of sample."""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any

import numpy as np
import pytest

from app.books.replay_config import default_run_config, policy_config
from app.books.simulation.decision_context import stage_one
from app.books.simulation.history_inputs import market_inputs
from app.books.simulation.market_history import MarketHistory
from app.books.simulation.replay_params import ReplayParams
from app.configuration.registry import DEFAULTS
from app.lab.calibration.calibrating import CalibrationParams, calibrate
from app.lab.replay.replaying import replay
from app.platform.core.units import HOUR_MS
from app.records.keeping.family import PRESETS
from app.scoring.scorers import learned
from app.scoring.scorers.components import CALCULATORS
from app.scoring.scorers.composite import compute
from app.scoring.scorers.market_inputs import MarketInputs
from tests.plugins import TOY, toy_plugin
from tests.replay_data import DAY_START_MS
from tests.unit.lab.calibration.test_calibrate import SMALL, history, ms
from tests.unit.scoring.scorers.universe import make_universe

pytestmark = pytest.mark.slow  # walk-forward calibrations: seconds each

DAY_MS = 24 * HOUR_MS
BASE = policy_config(default_run_config(), DEFAULTS)
# The seed's weights: the toy plug-in joins the technical component, which the default does not
# weigh (only weighed components are computed).
SEED = policy_config(default_run_config(), DEFAULTS, PRESETS["seed"].overrides())
START, END = DAY_START_MS + 30 * DAY_MS, DAY_START_MS + 115 * DAY_MS


def params(*, learned: bool = False) -> CalibrationParams:
    replay_params = ReplayParams(START, END, 24, random_draws=5)
    return CalibrationParams(replay_params, 40 * 24, 15 * 24, "ic", SMALL, learned)


class TestPluginEverywhere:
    def test_a_toy_plugin_is_replayed_and_calibrated_with_no_other_code(self) -> None:
        data = history(0.02, 11)
        window = ReplayParams(START, START + 20 * DAY_MS, 24, random_draws=3)
        plain = replay(data, SEED, window)
        with toy_plugin():
            tooled = replay(data, SEED, window)
            calibrated = calibrate(data, SEED, params())
        assert TOY in tooled["ic"]["metrics"] and TOY not in plain["ic"]["metrics"]
        assert tooled["ic"]["composite"] != plain["ic"]["composite"]  # it moved the scores
        for fold in calibrated["folds"]:
            assert fold["metric_ic"][f"technical.{TOY}"]["n"] == 40


@cache
def learned_report() -> dict[str, Any]:
    return calibrate(history(0.02, 11), BASE, params(learned=True))


def inputs_at(data: MarketHistory, t_ms: int) -> MarketInputs:
    """The scorer's inputs at t, as the replay builds them."""
    view = data.at(t_ms)
    rows = stage_one(view, BASE, set())
    return market_inputs(view, rows, candles=BASE.candles, benchmark=BASE.benchmark)


class TestLearnedScorer:
    def test_each_fold_learns_from_its_training_window_alone(self) -> None:
        for fold in learned_report()["folds"]:
            model = fold["learned_model"]
            assert model["trained_from_ms"] == ms(fold["train"]["from"])
            assert model["trained_to_ms"] == ms(fold["test"]["from"])  # its last return's end
            assert model["rows"] > 0 and "funding_carry_bps_8h" in model["features"]

    def test_out_of_sample_it_finds_the_planted_signal(self) -> None:
        learned_ic = learned_report()["ic"]["learned"]
        assert learned_ic["n"] > 0 and learned_ic["mean"] > 0.1 and learned_ic["t"] > 3

    def test_it_refuses_to_score_a_time_before_its_data_ends(self) -> None:
        data = history(0.02, 11)
        model = learned.MODELS[learned_report()["folds"][1]["learned_model"]["model"]]
        inside = model.trained_to_ms - DAY_MS
        with pytest.raises(learned.LearnedLookAheadError):
            model.predict({"rsi": np.zeros(16)}, inside)
        parameters = {
            **BASE.scoring.parameters,
            "learned": learned.parameters(model=model.model_id),
        }
        scoring = dataclasses.replace(BASE.scoring, weights={"learned": 1.0}, parameters=parameters)
        with pytest.raises(learned.LearnedLookAheadError):
            compute(inputs_at(data, inside), scoring)
        after = compute(inputs_at(data, model.trained_to_ms), scoring)
        assert np.isfinite(after.composite).any()

    def test_a_series_uses_the_newest_model_its_time_allows(self) -> None:
        report = learned_report()
        models = [f["learned_model"] for f in report["folds"]]
        series = report["calibration"]["learned_series"]
        assert [m.model_id for m in learned.SERIES[series]] == [m["model"] for m in models]
        first, second = models[0]["trained_to_ms"], models[1]["trained_to_ms"]
        assert learned.newest_usable(series, first - 1) is None
        for t, expected in ((first, 0), (second - 1, 0), (second, 1)):
            model = learned.newest_usable(series, t)
            assert model is not None and model.model_id == models[expected]["model"]


def builtin_metrics(inputs: MarketInputs, technical_version: int) -> dict[str, np.ndarray]:
    """Every built-in metric's comparable values, as the plug-in is handed them."""
    parameters = {**BASE.scoring.parameters, "technical": {"version": technical_version}}
    return {
        m.name: m.comparable
        for name, calculator in CALCULATORS.items()
        for m in calculator(inputs, parameters.get(name, {}))
    }


class TestLearnedWithEitherTechnicalVersion:
    """A model reads the built-in metrics by name; v1 and v2 share "rsi" and "bollinger_pct_b"
    with other meanings, so a model learned under one version is unusable under the other."""

    @staticmethod
    def model(technical_version: int) -> learned.LearnedModel:
        rng = np.random.default_rng(technical_version)
        samples = [
            learned.Sample(
                builtin_metrics(make_universe(seed=s, length=800), technical_version),
                rng.normal(size=6),
            )
            for s in range(8)
        ]
        return learned.train(samples, from_ms=0, to_ms=1)

    @pytest.mark.parametrize("technical_version", [1, 2])
    def test_it_learns_and_scores_with_its_own_version(self, technical_version: int) -> None:
        model = self.model(technical_version)
        assert ("momentum_30d_z" in model.features) == (technical_version == 2)
        metrics = builtin_metrics(make_universe(seed=99, length=800), technical_version)
        assert np.isfinite(model.predict(metrics, 1)).all()

    @pytest.mark.parametrize("technical_version", [1, 2])
    def test_the_other_version_leaves_it_unmeasured(self, technical_version: int) -> None:
        model = self.model(technical_version)
        metrics = builtin_metrics(make_universe(seed=99, length=800), 3 - technical_version)
        assert np.isnan(model.predict(metrics, 1)).all()
