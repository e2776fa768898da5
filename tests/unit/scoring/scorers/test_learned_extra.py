"""The learned scorer without its `learned` extra (scikit-learn not importable): the one check
says so, training says what to install, and a configuration that weighs it scores the other
components, at a lower confidence, never a guessed value."""

from __future__ import annotations

import dataclasses
import importlib
import pickle

import numpy as np
import pytest

from app.scoring.scorers import learned
from app.scoring.scorers.components import RISK
from app.scoring.scorers.composite import compute
from app.scoring.scorers.market_inputs import MarketInputs
from tests.missing_extra import sklearn_missing
from tests.unit.scoring.scorers.universe import config, make_universe

INSTALL = "pip install 'mysymbols[learned]'"


@pytest.fixture(scope="module")
def inputs() -> MarketInputs:
    return make_universe()


def samples() -> list[learned.Sample]:
    rng = np.random.default_rng(3)
    return [
        learned.Sample({"a": rng.normal(size=8), "b": rng.normal(size=8)}, rng.normal(size=8))
        for _ in range(30)
    ]


class TestAvailable:
    def test_true_where_scikit_learn_is_installed(self) -> None:
        assert learned.available() is True

    def test_false_while_it_cannot_be_imported_and_true_again_after(self) -> None:
        importlib.import_module("sklearn.ensemble")  # imported before: set aside, then back
        with sklearn_missing():
            assert learned.available() is False
            with pytest.raises(ModuleNotFoundError):
                importlib.import_module("sklearn.ensemble")
        assert learned.available() is True
        assert importlib.import_module("sklearn.ensemble").HistGradientBoostingRegressor


class TestTrainingWithoutIt:
    def test_it_raises_the_sentence_of_what_to_install_and_registers_nothing(self) -> None:
        before = dict(learned.MODELS)
        with sklearn_missing(), pytest.raises(learned.LearnedNotInstalledError) as raised:
            learned.train(samples(), from_ms=0, to_ms=1)
        message = str(raised.value)
        assert message == learned.NOT_INSTALLED
        assert INSTALL in message and "--build-arg EXTRAS=learned" in message
        assert before == learned.MODELS

    def test_with_it_the_same_samples_train_a_model(self) -> None:
        model = learned.train(samples(), from_ms=0, to_ms=1)
        try:
            assert model.features == ("a", "b") and model.rows == 240
        finally:
            learned.MODELS.pop(model.model_id, None)

    def test_its_error_crosses_a_process_boundary_whole(self) -> None:
        """The command line's process pool pickles a task's error back to the parent."""
        error = pickle.loads(pickle.dumps(learned.LearnedNotInstalledError()))
        assert isinstance(error, learned.LearnedNotInstalledError)
        assert str(error) == learned.NOT_INSTALLED


class TestScoringWithoutIt:
    def test_a_weighed_learned_component_measures_nothing_and_the_rest_is_scored(
        self, inputs: MarketInputs
    ) -> None:
        alone = compute(inputs, config({RISK: 1.0}))
        weighed = config({RISK: 0.5, learned.COMPONENT: 0.5})
        model = {learned.COMPONENT: learned.parameters(model="gbt-1-2-abcdef012345")}
        weighed = dataclasses.replace(weighed, parameters={**weighed.parameters, **model})
        with sklearn_missing():
            table = compute(inputs, weighed)
        assert np.isnan(table.components[learned.COMPONENT].score).all()
        scored = ~np.isnan(alone.composite)
        assert scored.any()
        np.testing.assert_allclose(table.composite[scored], alone.composite[scored])
        np.testing.assert_allclose(table.confidence[scored], alone.confidence[scored] / 2)


class TestChosen:
    @pytest.mark.parametrize(
        ("weights", "parameters", "expected"),
        [
            ({RISK: 1.0}, {}, False),
            ({RISK: 0.8, learned.COMPONENT: 0.2}, {}, True),
            ({learned.COMPONENT: 0.0}, {}, False),
            ({learned.COMPONENT: 0.0}, {learned.COMPONENT: learned.parameters(series="s")}, True),
        ],
    )
    def test_it_weighs_or_configures_the_learned_component(
        self, weights: dict[str, float], parameters: dict[str, object], expected: bool
    ) -> None:
        assert learned.chosen(weights, parameters) is expected

    @pytest.mark.parametrize(
        ("overrides", "expected"),
        [
            (None, False),
            ({"policy": {"replacement_margin": 8}}, False),
            ({"scoring": {"weights": {RISK: 1.0}}}, False),
            ({"scoring": {"weights": {RISK: 0.5, learned.COMPONENT: 0.5}}}, True),
            ({"scoring": {"parameters": {learned.COMPONENT: {}}}}, True),
        ],
    )
    def test_a_replays_overrides(self, overrides: dict[str, object] | None, expected: bool) -> None:
        assert learned.chosen_by_overrides(overrides) is expected
