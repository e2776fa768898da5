"""The scoring's runtime settings: a scoring run's (stage 1's and the gate's, on `ScoringSettings`),
its fetch plan's (`PlanSettings`) and the period of the scoring runs."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.platform.settings_store.declaration import INTERVAL, Bounds, between, declare
from app.platform.settings_store.fields import declared_settings, reads, setting
from app.scoring.scorers.gate import GateParams
from app.scoring.scorers.shortlist import MAX_PORTFOLIO_SYMBOLS, StageOneSettings

# Declared here, the lowest of its readers (the fetch plan's rotation; the score_refresh job).
SCORE_REFRESH_INTERVAL_S = declare(
    "score_refresh_interval_s",
    900,
    "Seconds between scoring runs.",
    INTERVAL,
)


@dataclass(frozen=True)
class ScoringSettings(StageOneSettings):
    """The runtime settings a scoring run reads: stage 1's, and the data gate's (its fields
    name their settings)."""

    gate: GateParams


@dataclass(frozen=True)
class PlanSettings:
    """The runtime settings a fetch plan reads."""

    rotation: bool = field(
        metadata=setting(
            "scoring_rotation",
            True,
            "Also score the rest of the eligible universe, oldest first, each contract hourly.",
            Bounds("boolean"),
        )
    )
    interval_s: float = field(metadata=reads(SCORE_REFRESH_INTERVAL_S))
    max_portfolio_symbols: int = field(metadata=reads(MAX_PORTFOLIO_SYMBOLS))
    weight_budget: int = field(
        metadata=setting(
            "scoring_weight_budget",
            1000,
            "KuCoin weight a scoring run may spend in all; its core is paid even past it.",
            between(0, 100_000),
        )
    )


SETTINGS = (
    *declared_settings(ScoringSettings),
    *declared_settings(PlanSettings),
    SCORE_REFRESH_INTERVAL_S,
)
