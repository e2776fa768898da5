"""The learned scorer in a walk-forward: one model per fold, trained on that fold's training
decisions alone (the built-in metrics at each decision and the returns to the next), kept in a
series; at any t the scorer predicts with the newest model whose data ended by t."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import numpy as np

from app.books.simulation.coefficients import forward_returns
from app.books.simulation.decision_context import Contexts
from app.lab.calibration.folds import Fold
from app.portfolio.policy.settings import PolicyConfig
from app.scoring.scorers import learned
from app.scoring.scorers.components import CALCULATORS
from app.scoring.scorers.composite import ScoringConfig


def samples(contexts: Contexts, times: list[int], end_ms: int) -> list[learned.Sample]:
    """Each decision's built-in metrics (NaN outside the gate) and returns to the next one."""
    out = []
    for d, t in enumerate(times):
        following = times[d + 1] if d + 1 < len(times) else end_ms
        ctx = contexts.at(t, set(), contexts.config.scoring)
        passed = ctx.table.passed
        metrics = {
            m.name: np.where(passed, m.comparable, np.nan)
            for name, arrays in ctx.table.components.items()
            if name in CALCULATORS
            for m in arrays.metrics
        }
        out.append(learned.Sample(metrics, forward_returns(ctx.view, following)[ctx.rows]))
    return out


def train_series(
    contexts: Contexts, folds: list[Fold], every_h: int
) -> tuple[str, list[learned.LearnedModel]]:
    """One model per fold from its training window; the series they form (by id).
    `LearnedNotInstalledError` at once without scikit-learn (before any sample is computed)."""
    learned.require()
    models = []
    for fold in folds:
        times = fold.train_times(every_h)
        models.append(
            learned.train(
                samples(contexts, times, fold.test_start_ms),
                from_ms=times[0],
                to_ms=fold.test_start_ms,
            )
        )
    series = "wf-" + hashlib.sha256(" ".join(m.model_id for m in models).encode()).hexdigest()[:12]
    learned.SERIES.pop(series, None)  # the same models again: the same series, rebuilt
    for model in models:
        learned.add_to_series(series, model)
    return series, models


def with_series(config: PolicyConfig, series: str) -> PolicyConfig:
    """`config` with the learned component scoring by `series`, unweighted (a choice may weigh
    it)."""
    parameters = {name: dict(p) for name, p in config.scoring.parameters.items()}
    parameters[learned.COMPONENT] = learned.parameters(series=series)
    weights = {**config.scoring.weights, learned.COMPONENT: 0.0}
    return replace(config, scoring=ScoringConfig(weights, parameters, config.scoring.gate))
