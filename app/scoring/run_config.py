"""The configuration of a scoring run: weights and parameters from `scoring_algorithm`, gate and
stage-1 runtime settings (`app/scoring/settings.py`); stored with every run (and hashed) for
replay. Data only: the scoring worker imports it (its reading from the database:
`app.scoring.config_in_force`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from app.scoring.scorers.components import candles_needed
from app.scoring.scorers.composite import ScoringConfig
from app.scoring.scorers.gate import GateParams
from app.scoring.settings import ScoringSettings

# The scoring algorithm a fresh database has in force (migration 0001's seed as migration 0024
# left it: candidate G, risk only; a test holds them equal): what a replay without a database
# scores with. The technical parameters name version 2 for when the component is weighed again.
DEFAULT_ALGORITHMS: dict[str, tuple[float, dict[str, Any]]] = {
    "technical": (
        0.0,
        {
            "rsi_period": 14,
            "macd": [12, 26, 9],
            "bollinger": [20, 2.0],
            "volume_window": 20,
            "version": 2,
        },
    ),
    "fundamental": (0.0, {"volume_growth_windows_d": [7, 30]}),
    "market_structure": (
        0.0,
        {"depth_band_pct": 1.0, "reference_order_usdt": 10000, "efficiency_window": 20},
    ),
    "risk": (1.0, {"volatility_window": 168, "benchmark": "BTCUSDT"}),
}


@dataclass(frozen=True)
class RunConfig:
    weights: dict[str, float]
    parameters: dict[str, dict[str, Any]]
    gate: GateParams
    shortlist: int
    candles: int
    min_listing_days: float
    max_abs_funding: float
    benchmark: str = "BTCUSDT"

    def scoring(self) -> ScoringConfig:
        """The live run's: every active component scored, weighed or not (signals vote on them)."""
        return ScoringConfig(
            weights=self.weights, parameters=self.parameters, gate=self.gate, every_component=True
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunConfig:
        return cls(**{**data, "gate": GateParams(**data["gate"])})

    @property
    def hash(self) -> str:
        canonical = json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


def run_config(
    algorithms: Sequence[tuple[str, float, dict[str, Any], bool]], settings: ScoringSettings
) -> RunConfig:
    """The configuration of (name, weight, parameters, active) algorithm rows and the stage-1
    and gate settings."""
    active = [(name, w, params) for name, w, params, is_active in algorithms if is_active]
    risk = next((params for name, _, params in active if name == "risk"), {})
    parameters = {name: dict(params) for name, _, params in active}
    return RunConfig(
        weights={name: w for name, w, _ in active},
        parameters=parameters,
        gate=settings.gate,
        shortlist=settings.shortlist,
        candles=max(settings.candles, candles_needed(parameters)),
        min_listing_days=settings.min_listing_days,
        max_abs_funding=settings.max_abs_funding,
        benchmark=str(risk.get("benchmark", "BTCUSDT")),
    )
