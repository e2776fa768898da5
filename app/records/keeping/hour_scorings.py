"""One hour's scorings of the forward record's scoring books.

Tracks whose scoring configurations differ only in weights share one scoring (`Contexts`: scored
once with every component any of them weighs, re-weighed for each), and every group shares the
hour's stage 1 (the point-in-time view, settled funding and turnover), which depends on the
history and the time alone.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

from app.books.simulation.decision_context import Context, Contexts, Stage, scoring_beyond_weights
from app.books.simulation.market_history import MarketHistory
from app.portfolio.policy.settings import PolicyConfig


def group(config: PolicyConfig) -> str:
    """Tracks that differ only in component weights share one scoring (`Contexts`)."""
    parameters, gate = scoring_beyond_weights(config.scoring)
    return json.dumps([parameters, asdict(gate)], sort_keys=True, default=str)


class HourScorings:
    """The contexts of `configs` (the hour's active tracks) at `hour_ms`."""

    def __init__(
        self, history: MarketHistory, hour_ms: int, configs: Sequence[PolicyConfig]
    ) -> None:
        self.hour_ms = hour_ms
        groups: dict[str, list[PolicyConfig]] = {}
        for config in configs:
            groups.setdefault(group(config), []).append(config)
        stage = Stage.at(history, hour_ms) if groups else None
        self.groups = {
            key: Contexts(
                history,
                members[0],
                keep=False,
                stage=stage,
                weigh={c for m in members for c, w in m.scoring.weights.items() if w > 0},
            )
            for key, members in groups.items()
        }

    def at(self, config: PolicyConfig, members: set[int]) -> Context:
        """The context of a book under `config` (one of those given) holding `members`."""
        return self.groups[group(config)].at(self.hour_ms, members, config.scoring)
