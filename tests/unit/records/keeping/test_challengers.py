"""The registered forward challengers: who is registered and when, that every override passes
the replay's validation, that no two score alike (nor like the default, G), and that the new
ones order symbols as their hypotheses say."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from app.books.replay_config import default_run_config, policy_config
from app.configuration.registry import DEFAULTS
from app.portfolio.policy.settings import PolicyConfig
from app.records.keeping.challengers import (
    CHALLENGERS,
    FAMILY_SOURCE,
    NEW_SOURCE,
    PRESET_SOURCE,
    Challenger,
    challenger,
)
from app.records.keeping.family import DEFAULT, FAMILY, PRESETS, WEIGHED
from app.scoring.scorers.components import CALCULATORS, COMPONENTS, RISK, TECHNICAL
from app.scoring.scorers.composite import (
    METRIC_WEIGHTS,
    ComponentArrays,
    ScoreTable,
    ScoringConfig,
    component_arrays,
    compute,
    reweigh,
    weighted_metrics,
)
from app.scoring.scorers.market_inputs import MarketInputs
from app.scoring.scorers.metric import Metric
from app.scoring.scorers.normalise import percentile_rank_each
from tests.unit.scoring.scorers.universe import LOOSE_GATE, make_universe

NEW = [c for c in CHALLENGERS if c.source == NEW_SOURCE]
REVERSAL = "reversal_low_risk"
CALM = "low_vol_low_drawdown"


def policy(overrides: dict[str, object] | None) -> PolicyConfig:
    """What the replay (and the forward record) runs `overrides` with, over the seeded service."""
    return policy_config(default_run_config(), DEFAULTS, overrides)


@pytest.fixture(scope="module")
def inputs() -> MarketInputs:
    return make_universe()


def effective(scoring: ScoringConfig, inputs: MarketInputs) -> tuple[object, ...]:
    """What decides a composite: each weighed component's weight and its metrics' weights (the
    metric names also tell the technical version apart), and the gate."""
    weighed = []
    for name, weight in sorted(scoring.weights.items()):
        if weight > 0:
            params = scoring.parameters.get(name, {})
            metrics = weighted_metrics(CALCULATORS[name](inputs, params), params)
            weighed.append((name, round(weight, 9), tuple((m.name, m.weight) for m in metrics)))
    return (tuple(weighed), scoring.gate)


class TestRegistry:
    def test_every_family_candidate_but_the_default_once_then_the_new_ones(self) -> None:
        names = [c.name for c in CHALLENGERS]
        assert len(set(names)) == len(names)
        family = [c.name for c in FAMILY if c.name != DEFAULT]
        assert names[: len(family)] == family
        assert DEFAULT not in names
        assert len(NEW) >= 2
        assert names[len(family) :] == [c.name for c in NEW]

    def test_the_family_weighs_the_first_built_ins_whatever_was_added_since(self) -> None:
        assert COMPONENTS[: len(WEIGHED)] == WEIGHED  # a new built-in comes after them
        for candidate in FAMILY:
            assert list(candidate.component_weights()) == list(WEIGHED)

    def test_family_members_replay_their_candidate(self) -> None:
        for candidate in FAMILY:
            if candidate.name != DEFAULT:
                assert challenger(candidate.name).overrides == candidate.overrides()

    def test_a_is_the_seed_preset_and_the_only_preset(self) -> None:
        a = challenger("A")
        assert a.source == PRESET_SOURCE
        assert a.overrides == PRESETS["seed"].overrides()
        assert "seed preset" in a.hypothesis
        assert [c.name for c in CHALLENGERS if c.source == PRESET_SOURCE] == ["A"]
        assert PRESETS["risk_only"].name == DEFAULT  # the other preset is the default

    def test_registration_times(self) -> None:
        for c in CHALLENGERS:
            assert c.registered_at.utcoffset() == timedelta(0)
            assert c.source in (FAMILY_SOURCE, PRESET_SOURCE, NEW_SOURCE)
            expected = (
                datetime(2026, 11, 25, 18, tzinfo=UTC)
                if c.source == NEW_SOURCE
                else datetime(2026, 11, 25, tzinfo=UTC)
            )
            assert c.registered_at == expected
        times = [c.registered_at for c in CHALLENGERS]
        assert times == sorted(times)  # registration order

    def test_every_hypothesis_is_stated(self) -> None:
        for c in CHALLENGERS:
            assert len(c.hypothesis) > 80 and c.hypothesis.endswith(".")

    def test_lookup(self) -> None:
        assert challenger(REVERSAL) is NEW[0]
        with pytest.raises(KeyError):
            challenger("G")
        with pytest.raises(KeyError):
            challenger("nobody")

    def test_challengers_are_frozen_and_hashable(self) -> None:
        with pytest.raises(dataclasses.FrozenInstanceError):
            CHALLENGERS[0].name = "Z"  # type: ignore[misc]
        assert len(set(CHALLENGERS)) == len(CHALLENGERS)
        assert isinstance(CHALLENGERS[0], Challenger)


class TestValidation:
    @pytest.mark.parametrize("ch", CHALLENGERS, ids=lambda c: c.name)
    def test_overrides_pass_the_replays_validation(self, ch: Challenger) -> None:
        config = policy(ch.overrides)  # ReplayConfigError on anything it does not know
        weights = config.scoring.weights
        assert sum(weights.values()) == pytest.approx(1.0)  # as PUT /scoring/algorithms asks
        assert all(w >= 0 for w in weights.values())

    @pytest.mark.parametrize("ch", CHALLENGERS, ids=lambda c: c.name)
    def test_every_metric_weight_names_a_metric_of_its_component(
        self, ch: Challenger, inputs: MarketInputs
    ) -> None:
        scoring = policy(ch.overrides).scoring
        for name, params in scoring.parameters.items():
            named = set(params.get(METRIC_WEIGHTS, {}))
            if named:
                assert named <= {m.name for m in CALCULATORS[name](inputs, params)}, name

    def test_no_two_score_alike_nor_like_the_default(self, inputs: MarketInputs) -> None:
        configs = {c.name: effective(policy(c.overrides).scoring, inputs) for c in CHALLENGERS}
        assert len(set(configs.values())) == len(configs)
        default = effective(policy(PRESETS["risk_only"].overrides()).scoring, inputs)
        assert default == effective(policy(None).scoring, inputs)  # G is the seeded service's
        assert default not in set(configs.values())


# A hand-built score table: five symbols, the metrics' names and directions as the calculators
# give them, the values chosen per test.
SYMBOLS = ["S0", "S1", "S2", "S3", "S4"]
FLAT = [1.0] * 5  # ties: every symbol at the 50th percentile
UP = [2.0, 1.0, 0.0, -1.0, -2.0]  # what rewards a recent rise says: S0 first


def table(inputs: MarketInputs, values: dict[str, dict[str, list[float]]]) -> ScoreTable:
    """A table with every metric of each component in `values` (technical v2), flat where a
    metric is not given."""
    components = {}
    for name, given in values.items():
        params = {"version": 2} if name == TECHNICAL else {}
        metrics = [
            Metric(m.name, np.array(given.get(m.name, FLAT)), m.direction)
            for m in CALCULATORS[name](inputs, params)
        ]
        normalised = percentile_rank_each([m.raw for m in metrics], [m.direction for m in metrics])
        components[name] = component_arrays(metrics, normalised)
    nan = np.full(len(SYMBOLS), np.nan)
    return ScoreTable(SYMBOLS, [None] * len(SYMBOLS), components, nan, nan)


def composite(name: str, scored: ScoreTable) -> np.ndarray:
    """The composite of challenger `name` (or of the default, G) on `scored`."""
    overrides = PRESETS["risk_only"].overrides() if name == DEFAULT else challenger(name).overrides
    return reweigh(scored, policy(overrides).scoring).composite


def momentum_everywhere() -> dict[str, list[float]]:
    """The switched-off technical metrics all rewarding S0 (the most recent rise)."""
    off = challenger(REVERSAL).overrides["scoring"]["parameters"][TECHNICAL][METRIC_WEIGHTS]
    return {m: UP for m, w in off.items() if w == 0}


def scored_by_the_engine(name: str, component: str, inputs: MarketInputs) -> ComponentArrays:
    """`component` as the engine scores `inputs` under challenger `name` (with a gate the
    crafted universe passes)."""
    scoring = dataclasses.replace(policy(challenger(name).overrides).scoring, gate=LOOSE_GATE)
    return compute(inputs, scoring).components[component]


class TestReversalLowRisk:
    def test_the_least_over_extended_rank_first(self, inputs: MarketInputs) -> None:
        scored = table(
            inputs,
            {
                TECHNICAL: {
                    "rsi": [80.0, 70.0, 60.0, 50.0, 40.0],
                    "bollinger_pct_b": [1.0, 0.8, 0.6, 0.4, 0.2],
                    "volume_surge": [2.0, 1.6, 1.2, 1.0, 0.8],
                    **momentum_everywhere(),
                },
                RISK: {},
            },
        )
        ours = composite(REVERSAL, scored)
        assert np.all(np.diff(ours) > 0)  # lower RSI, %B and surge: higher composite
        assert ours[-1] == pytest.approx(75.0)  # 100 on technical, 50 on the flat risk
        # With every v2 metric (J), the six that reward the rise outvote the three.
        assert np.all(np.diff(composite("J", scored)) < 0)

    def test_the_switched_off_metrics_move_nothing(self, inputs: MarketInputs) -> None:
        reversal = {"rsi": [80.0, 70.0, 60.0, 50.0, 40.0]}
        quiet = table(inputs, {TECHNICAL: reversal, RISK: {}})
        loud = table(inputs, {TECHNICAL: {**reversal, **momentum_everywhere()}, RISK: {}})
        np.testing.assert_array_equal(composite(REVERSAL, quiet), composite(REVERSAL, loud))

    def test_lower_risk_ranks_first_at_equal_reversal(self, inputs: MarketInputs) -> None:
        scored = table(
            inputs,
            {TECHNICAL: {}, RISK: {"volatility_annualised": [0.9, 0.8, 0.7, 0.6, 0.5]}},
        )
        assert np.all(np.diff(composite(REVERSAL, scored)) > 0)

    def test_the_engine_weighs_only_the_three(self, inputs: MarketInputs) -> None:
        arrays = scored_by_the_engine(REVERSAL, TECHNICAL, inputs)
        on = [i for i, m in enumerate(arrays.metrics) if m.weight > 0]
        assert [arrays.metrics[i].name for i in on] == ["rsi", "bollinger_pct_b", "volume_surge"]
        three = np.vstack([arrays.normalised[i] for i in on])
        measured = ~np.isnan(three).any(axis=0)
        assert measured.sum() >= 5
        np.testing.assert_allclose(arrays.score[measured], three[:, measured].mean(axis=0))


class TestLowVolLowDrawdown:
    # As on the 487-perpetual year: the calmest contracts are the most tied to BTC.
    CALM_BUT_CORRELATED = {
        "volatility_annualised": [0.9, 0.8, 0.7, 0.6, 0.5],
        "max_drawdown": [0.5, 0.4, 0.3, 0.2, 0.1],
        "beta_to_benchmark": [0.2, 0.5, 0.8, 1.1, 1.4],
        "correlation_to_benchmark": [0.1, 0.3, 0.5, 0.7, 0.9],
        "turnover_to_open_interest": [5.0, 4.0, 3.0, 2.0, 1.0],
    }

    def test_the_calmest_rank_first_whatever_their_tie_to_btc(self, inputs: MarketInputs) -> None:
        scored = table(inputs, {RISK: self.CALM_BUT_CORRELATED})
        ours = composite(CALM, scored)
        np.testing.assert_allclose(ours, [0.0, 25.0, 50.0, 75.0, 100.0])
        # G weighs beta, correlation and turnover too: three of five against two, S0 first.
        assert np.all(np.diff(composite(DEFAULT, scored)) < 0)

    def test_the_switched_off_metrics_move_nothing(self, inputs: MarketInputs) -> None:
        calm = {
            k: v
            for k, v in self.CALM_BUT_CORRELATED.items()
            if k in ("volatility_annualised", "max_drawdown")
        }
        a = table(inputs, {RISK: calm})
        b = table(inputs, {RISK: self.CALM_BUT_CORRELATED})
        np.testing.assert_array_equal(composite(CALM, a), composite(CALM, b))

    def test_the_engine_weighs_only_the_two(self, inputs: MarketInputs) -> None:
        arrays = scored_by_the_engine(CALM, RISK, inputs)
        on = [i for i, m in enumerate(arrays.metrics) if m.weight > 0]
        assert [arrays.metrics[i].name for i in on] == ["volatility_annualised", "max_drawdown"]
        two = np.vstack([arrays.normalised[i] for i in on])
        measured = ~np.isnan(two).any(axis=0)
        assert measured.sum() >= 5
        np.testing.assert_allclose(arrays.score[measured], two[:, measured].mean(axis=0))
