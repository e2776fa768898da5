"""The configuration a replay runs with: the service's defaults (the runtime-settings registry
and the seeded scoring algorithm), or the values stored in a deployment's database, with
overrides from a JSON document:

    {"scoring": {"weights": {...}, "parameters": {component: {...}}, "gate": {...}},
     "policy": {"weighting_method": "equal", "replacement_margin": 8, ...}}

`policy` keys are the runtime-setting names (`max_portfolio_symbols`, `replacement_margin`, ...).
Unknown keys are refused, so a typo cannot silently replay the defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, fields
from typing import Any

from app.policy.replacement import ReplacementSettings
from app.replay.config import PolicyConfig
from app.scoring.components import candles_needed, check_parameters
from app.scoring.engine import ScoringConfig
from app.scoring.gate import GateParams
from app.scoring.registry import components
from app.services.portfolio.tunables import KEYS as PORTFOLIO_KEYS
from app.services.scoring.config import DEFAULT_ALGORITHMS, RunConfig, run_config
from app.services.scoring.config import KEYS as SCORING_KEYS
from app.services.settings.registry import DEFAULTS

# What the replay reads of the runtime settings: the portfolio's and the scoring run's own, less
# what only a live deployment has (data age, order-book depth, the sizing target) and the gate's
# (a run configuration carries those).
LIVE_ONLY = (
    "stale_data_limit_s",
    "liquidity_reference_balance_usdt",
    "liquidity_max_depth_share",
    "target_volatility",
)
POLICY_KEYS = tuple(
    key
    for key in (*PORTFOLIO_KEYS, *SCORING_KEYS)
    if key not in LIVE_ONLY and not key.startswith("gate_") and key != "excluded_categories"
)


class ReplayConfigError(ValueError):
    """An override names something the replay does not know, or has the wrong shape."""


def default_run_config() -> RunConfig:
    """The scoring configuration of a freshly seeded service."""
    seeded = [(name, w, dict(params), True) for name, (w, params) in DEFAULT_ALGORITHMS.items()]
    return run_config(seeded, DEFAULTS)


def policy_config(
    run: RunConfig,
    settings: Mapping[str, Any],
    overrides: Mapping[str, Any] | None = None,
    *,
    top: int | None = None,
) -> PolicyConfig:
    """The replay's configuration from a scoring configuration and runtime settings (the
    registry's defaults or a database's values), with `overrides` and `top` applied."""
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - {"scoring", "policy"})
    if unknown:
        raise ReplayConfigError(f"unknown override section(s): {', '.join(unknown)}")
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
    return PolicyConfig(
        scoring=scoring,
        candles=max(int(values["scoring_candles"]), candles_needed(scoring.parameters)),
        shortlist=int(values["scoring_shortlist"]),
        min_listing_days=float(values["scoring_min_listing_days"]),
        max_abs_funding=float(values["scoring_max_abs_funding"]),
        benchmark=str(scoring.parameters.get("risk", {}).get("benchmark", run.benchmark)),
        max_symbols=int(values["max_portfolio_symbols"]),
        min_weight=float(values["min_position_weight"]),
        max_weight=float(values["max_position_weight"]),
        weighting_method=str(values["weighting_method"]),
        rebalance_threshold_pct=float(values["rebalance_threshold_pct"]),
        replacement=ReplacementSettings(
            candidates=int(values["replacement_candidates"]),
            margin=float(values["replacement_margin"]),
            confirmation_hours=float(values["replacement_confirmation_hours"]),
            min_holding_hours=float(values["min_holding_hours"]),
            correlation_limit=float(values["correlation_limit"]),
        ),
        correlation_window_hours=int(values["correlation_window_hours"]),
        weights_lookback_hours=int(values["weights_lookback_hours"]),
        exit_grace_hours=float(values["exit_grace_hours"]),
    )


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
    try:
        check_parameters(parameters)
    except ValueError as exc:
        raise ReplayConfigError(str(exc)) from exc
    gate_fields = {f.name for f in fields(GateParams)}
    gate_overrides = dict(overrides.get("gate", {}))
    if set(gate_overrides) - gate_fields:
        raise ReplayConfigError(
            f"unknown gate parameter(s): {sorted(set(gate_overrides) - gate_fields)}"
        )
    # History has no book or ticker: freshness is judged on the last candle's close.
    gate = GateParams(**{**asdict(run.gate), **gate_overrides, "freshness": "candles"})
    return ScoringConfig(weights=weights, parameters=parameters, gate=gate)
