"""What a replay runs: the scoring configuration, the policy settings and the replay's own
parameters, hashed together so that a report names exactly what produced it."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from app.platform.core.units import HOUR_MS
from app.portfolio.policy.settings import PolicyConfig
from app.scoring.scorers.component_registry import components, parameter_problems
from app.scoring.scorers.parameters import COMPONENT_WEIGHT, ParameterProblem

EVERY = re.compile(r"^(?P<n>[1-9][0-9]{0,3})(?P<unit>[hd])$")


def parse_every(text: str) -> int:
    """Hours of a decision interval written like 1h, 4h, 24h or 7d (ValueError otherwise)."""
    match = EVERY.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a duration like 1h, 4h, 24h or 7d")
    return int(match["n"]) * (24 if match["unit"] == "d" else 1)


@dataclass(frozen=True)
class ReplayParams:
    start_ms: int  # first decision (aligned to the hour)
    end_ms: int  # decisions are strictly before it; the books run to `valued_to`
    every_h: int
    fee_bps: float = 6.0
    slippage_bps: float = 0.0
    random_draws: int = 50
    random_seed: int = 0
    momentum_days: int = 30
    execution_lag_h: int = 1  # a decision at t trades at the close of t + lag

    @property
    def cost_rate(self) -> float:
        return (self.fee_bps + self.slippage_bps) / 1e4

    def decision_times(self) -> list[int]:
        return list(range(self.start_ms, self.end_ms, self.every_h * HOUR_MS))

    def valued_to(self, last_close_ms: int) -> int:
        """Where the books are valued to: `lag` hours past the end, as the last decision's
        period runs to the end's own execution, or the history's last close when it stops
        sooner (the last period is then shorter)."""
        return max(self.end_ms, min(self.end_ms + self.execution_lag_h * HOUR_MS, last_close_ms))

    def execution_times(self, last_close_ms: int) -> list[int]:
        """Where each decision trades (close of t + lag, never past `valued_to`), then where the
        last period ends: period d runs from entry d to entry d + 1."""
        end = self.valued_to(last_close_ms)
        lag = self.execution_lag_h * HOUR_MS
        return [min(t + lag, end) for t in self.decision_times()] + [end]


def scoring_override_problems(scoring: Any) -> list[ParameterProblem]:
    """Where a replay's `scoring` override section sets a weight or a parameter outside its
    declaration (paths within the section: `weights.risk`, `parameters.risk.volatility_window`);
    the gate and unknown sections are the configuration's to refuse."""
    if not isinstance(scoring, Mapping):
        return [ParameterProblem((), "must be an object", scoring)]
    found: list[ParameterProblem] = []
    for section in ("weights", "parameters"):
        value = scoring.get(section, {})
        if not isinstance(value, Mapping):
            found.append(ParameterProblem((section,), "must be an object", value))
            continue
        for name, entry in value.items():
            if name not in components():
                known = ", ".join(components())
                found.append(
                    ParameterProblem((section, name), f"is not a component ({known})", entry)
                )
            elif section == "weights":
                found += COMPONENT_WEIGHT.problems(entry, (section, name))
            else:
                found += [
                    ParameterProblem((section, name, *p.path), p.message, p.value)
                    for p in parameter_problems(name, entry)
                ]
    return found


# The configuration echoes below stay `dict[str, Any]`, not a report TypedDict: free-form
# documents (each component's scoring parameters are its own), hashed and stored as given.
def policy_json(policy: PolicyConfig) -> dict[str, Any]:
    scoring = policy.scoring
    return {
        "scoring": {
            "weights": dict(scoring.weights),
            "parameters": {k: dict(v) for k, v in scoring.parameters.items()},
            "gate": asdict(scoring.gate),
        },
        "policy": _settings_json(policy),
    }


def _settings_json(policy: PolicyConfig) -> dict[str, Any]:
    values = {k: v for k, v in asdict(policy).items() if k not in ("scoring", "benchmark")}
    names = list(values)
    # The benchmark follows the stage-1 settings, where it stood before the policy's settings had
    # a class of their own: a stored document keeps its bytes.
    at = names.index("max_symbols")
    return {
        **{k: values[k] for k in names[:at]},
        "benchmark": policy.benchmark,
        **{k: values[k] for k in names[at:]},
    }


def config_json(policy: PolicyConfig, params: ReplayParams) -> dict[str, Any]:
    return {**policy_json(policy), "replay": asdict(params)}


def digest(document: dict[str, Any]) -> str:
    """The hash of a JSON document, whatever the order of its keys."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def policy_hash(policy: PolicyConfig) -> str:
    """The hash of the decision policy alone (what evidence is evidence of), whatever range or
    costs it was replayed with."""
    return digest(policy_json(policy))


def config_hash(policy: PolicyConfig, params: ReplayParams) -> str:
    return digest(config_json(policy, params))
