"""`Contexts`: a decision time scored once and re-weighed per configuration gives what scoring
that configuration afresh gives, members outside the stage-1 shortlist included."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from app.books.replay_config import default_run_config, policy_config
from app.books.simulation.decision_context import Context, Contexts, context_at
from app.configuration.registry import DEFAULTS
from app.platform.core.units import HOUR_MS
from app.portfolio.policy.settings import PolicyConfig
from app.records.keeping.family import PRESETS
from app.scoring.scorers.composite import ScoringConfig
from app.scoring.scorers.parameters import METRIC_WEIGHTS
from tests.replay_data import START_MS, random_walks

HISTORY = random_walks(24, 40 * 24)
# The seed's weights: re-weighing needs every component scored, which risk alone does not give.
SEED = policy_config(default_run_config(), DEFAULTS, PRESETS["seed"].overrides())
POLICY = dataclasses.replace(SEED, shortlist=8)
T = START_MS + 35 * 24 * HOUR_MS


def weighed(weights: dict[str, float], off: dict[str, list[str]] | None = None) -> ScoringConfig:
    parameters = {name: dict(p) for name, p in POLICY.scoring.parameters.items()}
    for name, metrics in (off or {}).items():
        parameters.setdefault(name, {})[METRIC_WEIGHTS] = dict.fromkeys(metrics, 0.0)
    return ScoringConfig(weights, parameters, POLICY.scoring.gate)


def with_scoring(scoring: ScoringConfig) -> PolicyConfig:
    return dataclasses.replace(POLICY, scoring=scoring)


def assert_same(a: Context, b: Context) -> None:
    np.testing.assert_array_equal(a.rows, b.rows)
    np.testing.assert_array_equal(a.turnover, b.turnover)
    np.testing.assert_array_equal(a.table.composite, b.table.composite)
    assert a.table.reasons == b.table.reasons
    assert a.composite == b.composite and a.eligible == b.eligible


SCORINGS = [
    POLICY.scoring,
    weighed({"technical": 0.0, "fundamental": 0.5, "market_structure": 0.0, "risk": 0.5}),
    weighed({"technical": 1.0}, {"technical": ["rsi", "bollinger_bandwidth"]}),
]


class TestContexts:
    @pytest.mark.parametrize("keep", [True, False])
    @pytest.mark.parametrize("scoring", SCORINGS)
    def test_a_reweighed_context_is_a_fresh_one(self, keep: bool, scoring: ScoringConfig) -> None:
        contexts = Contexts(HISTORY, POLICY, keep=keep)
        fresh = context_at(HISTORY, T, with_scoring(scoring), set())
        assert_same(contexts.at(T, set(), scoring), fresh)

    def test_members_outside_the_shortlist_are_scored_with_it(self) -> None:
        contexts = Contexts(HISTORY, POLICY, keep=True)
        plain = contexts.at(T, set(), POLICY.scoring)
        outside = {i for i in range(HISTORY.size) if i not in set(plain.rows.tolist())}
        members = set(sorted(outside)[:2])
        assert len(members) == 2
        widened = contexts.at(T, members, POLICY.scoring)
        assert members <= set(widened.rows.tolist())
        assert_same(widened, context_at(HISTORY, T, POLICY, members))
        # Members inside the shortlist change nothing: the same scoring is reused.
        inside = set(plain.rows.tolist()[:3])
        assert_same(contexts.at(T, inside, POLICY.scoring), plain)

    def test_a_configuration_differing_beyond_weights_is_refused(self) -> None:
        contexts = Contexts(HISTORY, POLICY, keep=True)
        parameters = {**POLICY.scoring.parameters, "risk": {"volatility_window": 48}}
        other = dataclasses.replace(POLICY.scoring, parameters=parameters)
        with pytest.raises(ValueError, match="more than weights"):
            contexts.at(T, set(), other)
