"""The configuration a replay runs with: the service's defaults (the runtime settings' declared
defaults and the seeded scoring algorithm), or the values stored in a deployment's database, with
overrides from a JSON document:

    {"scoring": {"weights": {...}, "parameters": {component: {...}}, "gate": {...}},
     "policy": {"weighting_method": "equal", "replacement_margin": 8, ...}}

`policy` keys are the runtime-setting names (`max_portfolio_symbols`, `replacement_margin`, ...:
`POLICY_KEYS`, derived from `app/portfolio/policy/settings.py`'s `PolicySettings`).
Unknown keys are refused, so a typo cannot silently replay the defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.books.simulation.replay_params import scoring_override_problems
from app.platform.settings_store.declaration import DAY, RuntimeSetting, between
from app.platform.settings_store.fields import (
    SETTING,
    declared_settings,
    defaults_of,
    setting,
    setting_values,
)
from app.platform.settings_store.reader import read_typed
from app.portfolio.policy.settings import (
    POLICY_KEYS,
    PolicyConfig,
    PolicySettings,
    policy_from_settings,
    scored,
)
from app.scoring.config_in_force import load_run_config
from app.scoring.config_rules import rule_problems
from app.scoring.run_config import DEFAULT_ALGORITHMS, RunConfig, run_config
from app.scoring.scorers.component_registry import components
from app.scoring.scorers.components import TECHNICAL
from app.scoring.scorers.composite import ScoringConfig
from app.scoring.scorers.gate import GateParams
from app.scoring.scorers.parameters import ParameterProblem, weights_problem
from app.scoring.scorers.technical import version as technical_version
from app.scoring.scorers.windows import FETCHED, fetched_problem
from app.scoring.settings import ScoringSettings


class ReplayConfigError(ValueError):
    """An override names something the replay does not know, or has the wrong shape."""


@dataclass(frozen=True)
class DeploymentSettings:
    """The runtime settings the deployment's configuration is built from: the scoring run's
    and the policy's."""

    scoring: ScoringSettings
    policy: PolicySettings


@dataclass(frozen=True)
class ReplaySettings(DeploymentSettings):
    """What a replay reads when it is requested and when it starts, in one query: the
    deployment's settings and the run's budgets."""

    max_decision_members: int = field(
        metadata=setting(
            "replay_max_decision_members",
            100_000,
            "Most decisions x members one POST /replays may ask for (a year of hourly decisions for"
            " 10 members is 87 600); more is a 422.",
            between(1000, 10_000_000),
        )
    )
    time_limit_s: float = field(
        metadata=setting(
            "replay_time_limit_s",
            3600,
            "Longest a replay, calibration or what-if run computes (seconds); past it, the run "
            "stops and ends failed (`run-time-limit`).",
            between(1, DAY),
        )
    )


def default_run_config() -> RunConfig:
    """The scoring configuration of a freshly seeded service."""
    seeded = [(name, w, dict(params), True) for name, (w, params) in DEFAULT_ALGORITHMS.items()]
    return run_config(seeded, defaults_of(ScoringSettings))


GATE_SETTINGS: dict[str, RuntimeSetting] = {
    f.name: f.metadata[SETTING] for f in fields(GateParams) if SETTING in f.metadata
}
"""The gate overrides a replay takes, by field, and the runtime setting whose bounds hold each:
the gate's other fields (its volume window, what freshness is measured on) are the scorer's own,
not a replay's to set."""
POLICY_SETTINGS: dict[str, RuntimeSetting] = {s.key: s for s in declared_settings(PolicySettings)}
"""The policy overrides a replay takes, by key (`POLICY_KEYS`), each held to its bounds."""


def override_problems(overrides: Mapping[str, Any]) -> list[ParameterProblem]:
    """Where a replay's override document sets a value it cannot run with, from the document's
    root (`scoring.weights.technical`, `scoring.gate.min_history`, `policy.replacement_margin`):
    scoring values outside their declaration, gate and policy values outside their runtime
    settings' bounds. Unknown sections and keys are `policy_config`'s to name."""
    scoring = overrides.get("scoring", {})
    found = [
        ParameterProblem(("scoring", *p.path), p.message, p.value)
        for p in scoring_override_problems(scoring)
    ]
    if isinstance(scoring, Mapping):
        gate = scoring.get("gate", {})
        found += _settings_problems(("scoring", "gate"), gate, GATE_SETTINGS)
        found += _fixed_gate_problems(gate)
    policy = overrides.get("policy", {})
    return [*found, *_settings_problems(("policy",), policy, POLICY_SETTINGS)]


def _fixed_gate_problems(gate: Any) -> list[ParameterProblem]:
    """The gate's fields a replay may not set, where the override sets one."""
    if not isinstance(gate, Mapping):
        return []
    fixed = {f.name for f in fields(GateParams)} - set(GATE_SETTINGS)
    takes = ", ".join(sorted(GATE_SETTINGS))
    return [
        ParameterProblem(
            ("scoring", "gate", name), f"is not for a replay to set (it sets {takes})", v
        )
        for name, v in gate.items()
        if name in fixed
    ]


def _settings_problems(
    path: tuple[str, ...], section: Any, settings: Mapping[str, RuntimeSetting]
) -> list[ParameterProblem]:
    if not isinstance(section, Mapping):
        return [ParameterProblem(path, "must be an object", section)]
    found = []
    for name, value in section.items():
        if name in settings:
            try:
                settings[name].check(value)
            except ValueError as exc:
                found.append(ParameterProblem((*path, name), str(exc), value))
    return found


def policy_config(
    run: RunConfig,
    settings: Mapping[str, Any],
    overrides: Mapping[str, Any] | None = None,
    *,
    top: int | None = None,
) -> PolicyConfig:
    """The replay's configuration from a scoring configuration and runtime settings (the
    declared defaults or a database's values), with `overrides` and `top` applied."""
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - {"scoring", "policy"})
    if unknown:
        raise ReplayConfigError(f"unknown override section(s): {', '.join(unknown)}")
    problems = override_problems(overrides)
    if problems:
        raise ReplayConfigError(problems[0].named())
    values = {k: settings[k] for k in POLICY_KEYS}
    policy_overrides = dict(overrides.get("policy", {}))
    bad = sorted(set(policy_overrides) - set(POLICY_KEYS))
    if bad:
        raise ReplayConfigError(
            f"unknown policy setting(s): {', '.join(bad)}; known: {', '.join(POLICY_KEYS)}"
        )
    values.update(policy_overrides)
    if top is not None:
        values["max_portfolio_symbols"] = top
    scoring = _scoring(run, dict(overrides.get("scoring", {})))
    benchmark = str(scoring.parameters.get("risk", {}).get("benchmark", run.benchmark))
    return scored(policy_from_settings(values), scoring, benchmark)


def _scoring(run: RunConfig, overrides: dict[str, Any]) -> ScoringConfig:
    bad = sorted(set(overrides) - {"weights", "parameters", "gate"})
    if bad:
        raise ReplayConfigError(f"unknown scoring override(s): {', '.join(bad)}")
    weights = {**run.weights, **overrides.get("weights", {})}
    unknown = sorted(set(weights) - set(components()))
    if unknown:
        raise ReplayConfigError(f"unknown scoring component(s): {', '.join(unknown)}")
    parameters = {name: dict(p) for name, p in run.parameters.items()}
    for name, params in overrides.get("parameters", {}).items():
        parameters.setdefault(name, {}).update(params)
    # Only the overrides are held to the declaration: a stored configuration outside it still
    # runs (the alert check names it). A version the scorer has no metrics for cannot run.
    try:
        technical_version(parameters.get(TECHNICAL, {}))
    except ValueError as exc:
        raise ReplayConfigError(str(exc)) from exc
    gate_overrides = dict(overrides.get("gate", {}))
    not_settable = sorted(set(gate_overrides) - set(GATE_SETTINGS))
    if not_settable:
        raise ReplayConfigError(f"gate parameter(s) a replay cannot set: {not_settable}")
    # History has no book or ticker: freshness is judged on the last candle's close.
    gate = GateParams(**{**asdict(run.gate), **gate_overrides, "freshness": "candles"})
    return ScoringConfig(weights=weights, parameters=parameters, gate=gate)


async def override_rule_problems(
    session: AsyncSession, overrides: Mapping[str, Any], policy: PolicyConfig, candles: int
) -> list[tuple[str, str]]:
    """Where a replay's `overrides` break a rule of what the values mean together, as the same
    change made live would (`PUT /scoring/algorithms`, `PUT /config`): weights that do not sum
    to 1, a benchmark that is no listed contract of the synced universe, a window reading more
    hourly candles than `scoring_candles` (the override's, else `candles`, the stored one), and
    `scoring_candles` fewer than the longest window reads. Each as (its field from the body's
    root, what it must be), against `policy`, the configuration the overrides make. Only what
    they set is held to these: a stored configuration that breaks one still replays."""
    scoring = overrides.get("scoring") or {}
    section = overrides.get("policy") or {}
    fetched = int(section.get(FETCHED, candles))
    at = "overrides.scoring"
    found = []
    if "weights" in scoring and (words := weights_problem(policy.scoring.weights)) is not None:
        found.append((f"{at}.weights", words))
    for name, params in (scoring.get("parameters") or {}).items():
        merged = policy.scoring.parameters.get(name, {})
        found += [
            (f"{at}.parameters.{name}.{path}", words)
            for path, words in await rule_problems(session, name, merged, params, candles=fetched)
        ]
    if FETCHED in section:
        words = fetched_problem(policy.scoring.parameters, fetched)
        if words is not None:
            found.append((f"overrides.policy.{FETCHED}", f"{words}, not {fetched}"))
    return found


async def deployment_policy(
    session: AsyncSession,
    overrides: dict[str, Any] | None,
    top: int | None,
    *,
    settings: DeploymentSettings | None = None,
) -> PolicyConfig:
    """The configuration in force in this deployment, with the request's overrides
    (`settings`: when the caller read them with its own)."""
    if settings is None:
        settings = await read_typed(session, DeploymentSettings)
    run = await load_run_config(session, settings.scoring)
    return policy_config(run, setting_values(settings.policy), overrides, top=top)
