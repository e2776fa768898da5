"""The decision policy's configuration, one for the live service and the replay alike.

`PolicySettings` holds every runtime setting the policy reads, each field declaring its setting
(key, default, meaning, bounds: `setting(...)`) or naming one declared below it (`reads(...)`):
the keys to read (`POLICY_KEYS`) and the configuration built from their values
(`policy_from_settings`) are derived from the fields. The live services read it through
`load_policy` (`app/portfolio/settings.py`); a replay adds what it scores with
(`PolicyConfig`, built by `scored`). A new policy setting is its field here and the rule that
reads it: the configuration API lists it, and no migration stores it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.platform.settings_store.declaration import between, one_of
from app.platform.settings_store.fields import from_settings, reads, setting, setting_keys
from app.portfolio.maths.weighting import METHODS
from app.portfolio.policy.replacement_rule import ReplacementSettings
from app.scoring.scorers.components import candles_needed
from app.scoring.scorers.composite import ScoringConfig
from app.scoring.scorers.shortlist import MAX_PORTFOLIO_SYMBOLS, StageOneSettings


@dataclass(frozen=True)
class PolicySettings(StageOneSettings):
    """Every runtime setting the decision policy reads (live and in replay): stage 1's first,
    then these."""

    max_symbols: int = field(metadata=reads(MAX_PORTFOLIO_SYMBOLS))
    min_weight: float = field(
        metadata=setting(
            "min_position_weight",
            2.0,
            "Smallest weight of an active member, percent.",
            between(0, 100),
        )
    )  # percent
    max_weight: float = field(
        metadata=setting(
            "max_position_weight",
            25.0,
            "Largest weight of an active member, percent.",
            between(1, 100),
        )
    )
    weighting_method: str = field(
        metadata=setting(
            "weighting_method",
            "score",
            f"{' | '.join(METHODS)}.",
            one_of(*METHODS),
        )
    )
    rebalance_threshold_pct: float = field(
        metadata=setting(
            "rebalance_threshold_pct",
            1.0,
            "Weight changes above this many points are applied.",
            between(0, 100),
        )
    )
    replacement: ReplacementSettings  # its fields name their settings
    correlation_window_hours: int = field(
        metadata=setting(
            "correlation_window_hours",
            168,
            "Default window of the correlation check, hours.",
            between(24, 2160),
        )
    )
    weights_lookback_hours: int = field(
        metadata=setting(
            "weights_lookback_hours",
            500,
            "Hourly candles used for volatility and covariance.",
            between(24, 2160),
        )
    )
    # a Paused contract or stale candles past this: the member exits
    exit_grace_hours: float = field(
        metadata=setting(
            "exit_grace_hours",
            24,
            "Hours a member's contract may stay Paused, or its candles stale, before it exits "
            "without waiting for the replacement hysteresis.",
            between(2, 720),
        )
    )


@dataclass(frozen=True)
class PolicyConfig(PolicySettings):
    """What a replay decides with: the policy's settings and the scoring they rank by."""

    scoring: ScoringConfig
    benchmark: str


POLICY_KEYS: tuple[str, ...] = setting_keys(PolicySettings)


def policy_from_settings(values: Mapping[str, Any]) -> PolicySettings:
    """The policy's settings from runtime setting values by key (the defaults or a database's)."""
    return from_settings(PolicySettings, values)


def scored(settings: PolicySettings, scoring: ScoringConfig, benchmark: str) -> PolicyConfig:
    """`settings` with the scoring they rank by; the scorer reads at least the candles its
    parameters need."""
    own = {f.name: getattr(settings, f.name) for f in dataclasses.fields(PolicySettings)}
    own["candles"] = max(settings.candles, candles_needed(scoring.parameters))
    return PolicyConfig(**own, scoring=scoring, benchmark=benchmark)
