"""One fold's choice, made on its training window alone, in three explainable stages:

1. metrics: a metric whose IC over the training decisions has t < `MIN_METRIC_T` is switched off
   (a metric the window could not measure keeps its weight: no evidence, no change);
2. component weights: every point of the simplex grid over the components left with a measured
   metric, scored by the objective (after-cost Sharpe of the policy's book, or the composite's
   mean IC);
3. turnover control: the weighting method, then the replacement hysteresis (margin,
   confirmation hours, minimum holding), scored by Sharpe (neither changes a score, so not by IC).

At every stage the trials within `TOLERANCE` of the best objective are equally good, and the one
of them that trades least wins: the same return for less turnover is better.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from app.lab.calibration.evaluate import Evaluator, Outcome
from app.lab.calibration.space import Choice, SearchSpace, simplex
from app.portfolio.policy.settings import PolicyConfig
from app.scoring.scorers.component_registry import components
from app.stats.ic import MeanT, mean_t, t_statistic

OBJECTIVES = ("sharpe", "ic")
MIN_METRIC_T = 1.0
MIN_METRIC_DECISIONS = 5
TOLERANCE = {"sharpe": 0.05, "ic": 0.002}


@dataclass(frozen=True)
class Trial:
    stage: str
    choice: Choice
    outcome: Outcome


@dataclass(frozen=True)
class Selection:
    choice: Choice
    outcome: Outcome  # of `choice` on the training window
    metric_ics: dict[str, MeanT]  # "component.metric" -> {mean, t, t_hac, n} on the window
    trials: int


def objective_of(outcome: Outcome, objective: str) -> float:
    value = outcome.sharpe if objective == "sharpe" else outcome.ic
    return -math.inf if math.isnan(value) else value


def pick(trials: list[Trial], objective: str) -> Trial:
    """The trial that trades least among those within `TOLERANCE` of the best objective (the
    earliest on a tie)."""
    best = max(objective_of(t.outcome, objective) for t in trials)
    close = [t for t in trials if objective_of(t.outcome, objective) >= best - TOLERANCE[objective]]
    return min(
        close, key=lambda t: t.outcome.turnover if not math.isnan(t.outcome.turnover) else math.inf
    )


def choose(
    evaluator: Evaluator,
    base: PolicyConfig,
    times: list[int],
    end_ms: int,
    objective: str,
    space: SearchSpace,
) -> Selection:
    """The choice for one fold, from the decisions at `times` (valued to `end_ms`) alone."""
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}")
    ics = evaluator.metric_ics(times, end_ms)
    t_of = {key: t_statistic(values) for key, values in ics.items()}
    start = Choice.of(base)
    weak, live = [], set()
    for (component, metric), values in ics.items():
        if len(values) < MIN_METRIC_DECISIONS:
            continue  # not measured here: keeps its weight
        if math.isnan(t_of[component, metric]) or t_of[component, metric] < MIN_METRIC_T:
            weak.append((component, metric))
        else:
            live.add(component)
    off = {k: set(v) for k, v in start.metrics_off.items()}
    if live:  # else no metric showed anything: no evidence to switch any off
        for component, metric in weak:
            off.setdefault(component, set()).add(metric)
    metrics_off = {k: tuple(sorted(v)) for k, v in off.items()}
    weighable = (*base.scoring.weights, *(c for c in components() if c not in base.scoring.weights))
    grid_over = tuple(c for c in weighable if c in live) or tuple(base.scoring.weights)
    trials: list[Trial] = []

    def run(stage: str, choice: Choice) -> Trial:
        trial = Trial(stage, choice, evaluator.policy(choice.apply(base), times, end_ms))
        trials.append(trial)
        return trial

    grid = []
    for point in simplex(grid_over, space.grid_step):
        weights = {c: point.get(c, 0.0) for c in weighable}
        grid.append(run("weights", replace(start, weights=weights, metrics_off=metrics_off)))
    best = pick(grid, objective)
    methods = [
        run("weighting", replace(best.choice, weighting_method=m)) for m in space.weighting_methods
    ]
    best = pick(methods, "sharpe")
    turnover = [
        run(
            "hysteresis",
            replace(best.choice, margin=m, confirmation_hours=c, min_holding_hours=h),
        )
        for m, c, h in space.hysteresis()
    ]
    best = pick(turnover, "sharpe")
    return Selection(
        best.choice,
        best.outcome,
        {f"{c}.{m}": mean_t(v) for (c, m), v in sorted(ics.items())},
        len(trials),
    )
