"""The search space, small and explainable: component weights on a simplex grid, metrics
switched off, the weighting method and the replacement hysteresis (turnover control).

A `Choice` is one point of it; `overrides()` writes it as the replay's `--config` document, so any
fold's chosen configuration can be replayed on its own.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from app.portfolio.maths.weighting import METHODS
from app.portfolio.policy.settings import PolicyConfig
from app.scoring.scorers.component_registry import components
from app.scoring.scorers.composite import ScoringConfig
from app.scoring.scorers.parameters import METRIC_WEIGHTS


@dataclass(frozen=True)
class SearchSpace:
    grid_step: float = 0.25  # component weights: every split of 1 into quarters (35 for 4)
    weighting_methods: tuple[str, ...] = METHODS  # every one the portfolio knows
    margins: tuple[float, ...] = (2.5, 5.0, 10.0, 20.0)  # composite points
    confirmation_hours: tuple[float, ...] = (0.0, 24.0, 48.0)  # 1, 2, 3 daily decisions
    min_holding_hours: tuple[float, ...] = (24.0, 72.0, 168.0)

    def hysteresis(self) -> Iterator[tuple[float, float, float]]:
        """(margin, confirmation hours, minimum holding hours): every combination."""
        return itertools.product(self.margins, self.confirmation_hours, self.min_holding_hours)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Choice:
    """What a calibration chooses, over a base configuration."""

    weights: Mapping[str, float]  # component -> weight (0 = off)
    metrics_off: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # component -> metrics
    weighting_method: str = "score"
    margin: float = 5.0
    confirmation_hours: float = 24.0
    min_holding_hours: float = 24.0

    @classmethod
    def of(cls, config: PolicyConfig) -> Choice:
        """The choice `config` already makes."""
        off = {
            name: tuple(sorted(m for m, w in params.get(METRIC_WEIGHTS, {}).items() if w == 0))
            for name, params in config.scoring.parameters.items()
        }
        return cls(
            weights=dict(config.scoring.weights),
            metrics_off={k: v for k, v in off.items() if v},
            weighting_method=config.weighting_method,
            margin=config.replacement.margin,
            confirmation_hours=config.replacement.confirmation_hours,
            min_holding_hours=config.replacement.min_holding_hours,
        )

    def apply(self, base: PolicyConfig) -> PolicyConfig:
        parameters = {name: dict(p) for name, p in base.scoring.parameters.items()}
        for name in components():
            chosen = dict(parameters.get(name, {}).get(METRIC_WEIGHTS, {}))
            chosen = {m: w for m, w in chosen.items() if w != 0}
            chosen.update({m: 0.0 for m in self.metrics_off.get(name, ())})
            if chosen:
                parameters.setdefault(name, {})[METRIC_WEIGHTS] = chosen
            elif name in parameters:
                parameters[name].pop(METRIC_WEIGHTS, None)
        scoring = ScoringConfig(dict(self.weights), parameters, base.scoring.gate)
        return replace(
            base,
            scoring=scoring,
            weighting_method=self.weighting_method,
            replacement=replace(
                base.replacement,
                margin=self.margin,
                confirmation_hours=self.confirmation_hours,
                min_holding_hours=self.min_holding_hours,
            ),
        )

    def overrides(self) -> dict[str, Any]:
        """The replay's `--config` document for this choice."""
        return {
            "scoring": {
                "weights": dict(self.weights),
                "parameters": {
                    name: {METRIC_WEIGHTS: {m: 0.0 for m in metrics}}
                    for name, metrics in sorted(self.metrics_off.items())
                },
            },
            "policy": {
                "weighting_method": self.weighting_method,
                "replacement_margin": self.margin,
                "replacement_confirmation_hours": self.confirmation_hours,
                "min_holding_hours": self.min_holding_hours,
            },
        }


def simplex(components: tuple[str, ...], step: float) -> Iterator[dict[str, float]]:
    """Every weighting of `components` in multiples of `step` summing to 1, zeros included."""
    parts = round(1 / step)
    for cut in itertools.combinations(range(parts + len(components) - 1), len(components) - 1):
        bounds = (-1, *cut, parts + len(components) - 1)
        counts = [b - a - 1 for a, b in itertools.pairwise(bounds)]
        yield {c: k / parts for c, k in zip(components, counts, strict=True)}
