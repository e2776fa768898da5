"""The scoring parameters' one declaration: every configuration the service ships lies within
it, its JSON schema says what its checks say, and the replay holds its overrides to it while a
stored configuration outside it still runs."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from app.books.replay_config import (
    ReplayConfigError,
    default_run_config,
    override_problems,
    policy_config,
)
from app.configuration.registry import DEFAULTS
from app.lab.calibration.space import Choice, SearchSpace, simplex
from app.records.keeping.challengers import CHALLENGERS
from app.records.keeping.family import FAMILY, PRESETS
from app.scoring.run_config import DEFAULT_ALGORITHMS
from app.scoring.scorers.component_registry import (
    ParameterError,
    check_parameters,
    components,
    parameter_problems,
    parameters_schema,
)
from app.scoring.scorers.components import COMPONENTS, DECLARATIONS, RISK, TECHNICAL, risk
from app.scoring.scorers.learned import COMPONENT as LEARNED
from app.scoring.scorers.learned import parameters as learned_parameters
from app.scoring.scorers.parameters import Parameter
from tests.unit.scoring.scorers.universe import make_universe

IN_FORCE = {name: params for name, (_, params) in DEFAULT_ALGORITHMS.items()}


def valid(name: str, params: Any) -> bool:
    """Whether `params` pass component `name`'s JSON schema, as `GET /scoring/algorithms`
    shows it."""
    validator = jsonschema.Draft202012Validator(parameters_schema(name))
    return validator.is_valid(params)


class TestShippedConfigurations:
    def test_the_configuration_in_force_by_default_is_within_the_bounds(self) -> None:
        assert set(IN_FORCE) <= set(COMPONENTS)  # a newer one has no row until weighed
        for name, params in IN_FORCE.items():
            assert parameter_problems(name, params) == [], name
            assert valid(name, params), name

    @pytest.mark.parametrize("candidate", FAMILY, ids=lambda c: c.name)
    def test_every_family_candidate_and_preset_is_within_the_bounds(self, candidate: Any) -> None:
        assert override_problems(candidate.overrides()) == []
        assert {PRESETS[n].name for n in PRESETS} <= {c.name for c in FAMILY}

    @pytest.mark.parametrize("challenger", CHALLENGERS, ids=lambda c: c.name)
    def test_every_registered_challenger_is_within_the_bounds(self, challenger: Any) -> None:
        scoring = challenger.overrides["scoring"]
        assert override_problems(challenger.overrides) == []
        for name, params in scoring.get("parameters", {}).items():
            assert valid(name, {**IN_FORCE.get(name, {}), **params}), name

    def test_every_choice_a_calibration_searches_is_within_the_bounds(self) -> None:
        space = SearchSpace()
        found = [
            problem
            for weights in simplex(COMPONENTS, space.grid_step)
            for method in space.weighting_methods
            for margin, confirmation, holding in space.hysteresis()
            for problem in override_problems(
                Choice(
                    weights, {RISK: ("beta_to_benchmark",)}, method, margin, confirmation, holding
                ).overrides()
            )
        ]
        assert found == []

    def test_a_learned_model_or_series_is_within_the_bounds(self) -> None:
        for params in (
            learned_parameters(model="gbt-1-2-abcdef012345"),
            learned_parameters(series="wf-0a1b"),
        ):
            assert parameter_problems(LEARNED, params) == []
            assert valid(LEARNED, params)

    def test_every_declared_default_is_within_its_own_bounds(self) -> None:
        for name, declaration in DECLARATIONS.items():
            defaults = {p.name: p.default for p in declaration.parameters if p.default is not None}
            assert parameter_problems(name, defaults) == [], name
            assert valid(name, defaults), name


OUT_OF_BOUNDS = [
    (RISK, {"volatility_window": -24}, ("volatility_window",)),
    (RISK, {"volatility_window": "a week"}, ("volatility_window",)),
    (RISK, {"volatility_window": True}, ("volatility_window",)),
    (RISK, {"volatility_window": 10**6}, ("volatility_window",)),
    (RISK, {"benchmark": "btc usdt"}, ("benchmark",)),
    (RISK, {"volatility_windw": 24}, ("volatility_windw",)),
    (RISK, {"metric_weights": {"max_drawdown": "1"}}, ("metric_weights", "max_drawdown")),
    (RISK, {"plugins": {"nope": {}}}, ("plugins", "nope")),
    (TECHNICAL, {"version": 3}, ("version",)),
    (TECHNICAL, {"macd": [12, 26]}, ("macd",)),
    (TECHNICAL, {"bollinger": [20, "2"]}, ("bollinger", 1)),
    (TECHNICAL, {"momentum_hours": []}, ("momentum_hours",)),
    (TECHNICAL, {"momentum_hours": [72, -1]}, ("momentum_hours", 1)),
    ("fundamental", {"volume_growth_windows_d": [7, 365]}, ("volume_growth_windows_d", 1)),
    ("market_structure", {"depth_band_pct": 0}, ("depth_band_pct",)),
    (
        LEARNED,
        {"plugins": {"gbt_return_rank": {"model": 7}}},
        ("plugins", "gbt_return_rank", "model"),
    ),
]


class TestOutOfBounds:
    @pytest.mark.parametrize(("name", "params", "path"), OUT_OF_BOUNDS)
    def test_the_check_and_the_schema_both_refuse_it(
        self, name: str, params: dict[str, Any], path: tuple[Any, ...]
    ) -> None:
        [problem] = parameter_problems(name, params)
        assert problem.path == path
        assert not valid(name, params)
        with pytest.raises(ParameterError) as raised:
            check_parameters({name: params})
        dotted = ".".join(str(p) for p in (name, *path))
        assert str(raised.value).startswith(f"{dotted} {problem.message}, not ")

    def test_an_integer_is_a_json_integer_as_strict_bodies_read_it(self) -> None:
        # JSON Schema calls 168.0 an integer; the check, as the API's strict bodies, does not.
        [problem] = parameter_problems(RISK, {"volatility_window": 168.0})
        assert problem.message == "must be an integer from 2 to 2160"

    def test_the_version_keeps_its_words(self) -> None:
        with pytest.raises(ValueError, match=r"^technical\.version must be 1 or 2, not 3$"):
            check_parameters({TECHNICAL: {"version": 3}})

    def test_a_long_value_is_cut_short_in_the_words(self) -> None:
        [problem] = parameter_problems(RISK, {"volatility_window": "x" * 10_000})
        assert len(problem.named(RISK)) < 200 and problem.named(RISK).endswith("...")


class TestReplayOverrides:
    @pytest.mark.parametrize(
        ("scoring", "named"),
        [
            ({"weights": {TECHNICAL: "0.5"}}, "scoring.weights.technical"),
            ({"weights": {TECHNICAL: 1.5}}, "scoring.weights.technical"),
            ({"weights": []}, "scoring.weights"),
            (
                {"parameters": {RISK: {"volatility_window": -24}}},
                "scoring.parameters.risk.volatility_window",
            ),
            ({"parameters": {"astrology": {}}}, "scoring.parameters.astrology"),
            ({"parameters": {RISK: []}}, "scoring.parameters.risk"),
            ({"gate": {"min_history": "a week"}}, "scoring.gate.min_history"),
            ({"gate": {"max_gap_ratio": 2}}, "scoring.gate.max_gap_ratio"),
        ],
    )
    def test_an_override_outside_the_bounds_is_refused_naming_it(
        self, scoring: dict[str, Any], named: str
    ) -> None:
        with pytest.raises(ReplayConfigError, match=rf"^{named} (must|is)"):
            policy_config(default_run_config(), DEFAULTS, {"scoring": scoring})

    @pytest.mark.parametrize(
        ("policy", "named"),
        [
            ({"replacement_margin": "8"}, "policy.replacement_margin"),
            ({"max_portfolio_symbols": -4}, "policy.max_portfolio_symbols"),
            ([], "policy"),
        ],
    )
    def test_a_policy_override_outside_its_settings_bounds_is_refused_naming_it(
        self, policy: Any, named: str
    ) -> None:
        with pytest.raises(ReplayConfigError, match=rf"^{named} must"):
            policy_config(default_run_config(), DEFAULTS, {"policy": policy})

    def test_a_stored_configuration_outside_the_bounds_still_replays(self) -> None:
        run = default_run_config()
        stored = {**run.parameters, RISK: {**run.parameters[RISK], "volatility_window": -24}}
        bad = type(run)(**{**run.__dict__, "parameters": stored})
        policy = policy_config(bad, DEFAULTS, {"scoring": {"weights": {RISK: 1.0}}})
        assert policy.scoring.parameters[RISK]["volatility_window"] == -24


class TestScorerReadsTheDeclaration:
    def test_the_risk_metrics_take_the_declared_default_window(self) -> None:
        inputs = make_universe()
        declared = DECLARATIONS[RISK].default("volatility_window")
        absent = {m.name: m.raw for m in risk(inputs, {})}
        given = {m.name: m.raw for m in risk(inputs, {"volatility_window": declared})}
        other = {m.name: m.raw for m in risk(inputs, {"volatility_window": declared // 2})}
        same = absent["volatility_annualised"].tobytes() == given["volatility_annualised"].tobytes()
        assert same
        assert other["volatility_annualised"].tobytes() != given["volatility_annualised"].tobytes()

    def test_every_component_has_a_declaration(self) -> None:
        for name in components():
            assert parameters_schema(name)["type"] == "object"


def test_a_number_declared_without_its_bounds_is_refused_at_declaration() -> None:
    # A plug-in's declaration: without both bounds a refusal could not say its range (a 500).
    with pytest.raises(ValueError, match=r"'x' \(number\) needs both bounds"):
        Parameter("x", "number", minimum=0.0)
    assert Parameter("y", "integer", choices=(1, 2)).problems(3, ("y",))
