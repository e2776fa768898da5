"""A walk-forward calibration: per fold, a choice made on the training window (`search.choose`);
then one continuous out-of-sample run over the test windows in which the calibrated policy
switches to each fold's choice as its test window begins, beside the unchanged default
configuration and the baselines, with the same costs. The report has the replay's shape (its
`strategies`, `ic` and `decisions` are the out-of-sample run's; `default` is the configuration
calibrated from), plus `folds` and the in-sample figures."""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from app.books.simulation.baselines import STRATEGIES
from app.books.simulation.decision_context import Contexts
from app.books.simulation.market_history import MarketHistory
from app.books.simulation.policy import PolicyState
from app.books.simulation.replay_params import ReplayParams, config_json, digest
from app.books.simulation.replay_report import StrategyFigures
from app.books.simulation.strategy_figures import strategy_figures
from app.lab.calibration.calibration_report import (
    CalibrationReport,
    CalibrationVerdict,
    FoldReport,
    InSampleMeans,
    WindowFigures,
)
from app.lab.calibration.evaluate import Evaluator
from app.lab.calibration.folds import Fold, walk_forward
from app.lab.calibration.learning import train_series, with_series
from app.lab.calibration.search import Selection, choose
from app.lab.calibration.space import SearchSpace
from app.lab.replay.replaying import (
    Track,
    check_range,
    constant,
    data_section,
    iso,
    run_books,
)
from app.lab.replay.schedules import BookRow, BookRun
from app.platform.core.units import HOUR_MS
from app.portfolio.policy.settings import PolicyConfig
from app.scoring.scorers.component_registry import components
from app.scoring.scorers.components import COMPONENTS
from app.scoring.scorers.learned import LearnedModel
from app.stats.ic import MeanT, mean_t

Progress = Callable[[str, int, int], None]  # stage, done, total


@dataclass(frozen=True)
class CalibrationParams:
    replay: ReplayParams  # the range (from the first training decision), interval and costs
    train_h: int
    test_h: int
    objective: str = "sharpe"
    space: SearchSpace = field(default_factory=SearchSpace)
    learned: bool = False  # train the learned scorer per fold and let the search weigh it


def calibrate(
    history: MarketHistory,
    base: PolicyConfig,
    params: CalibrationParams,
    progress: Progress | None = None,
) -> CalibrationReport:
    """Choose per fold on the training window, judge on the test window; the report."""
    return calibrated(history, base, params, progress)[0]


def calibrated(
    history: MarketHistory,
    base: PolicyConfig,
    params: CalibrationParams,
    progress: Progress | None = None,
) -> tuple[CalibrationReport, BookRun]:
    """`calibrate`'s report and its out-of-sample run (per-decision series to pool)."""
    check_range(history, params.replay)
    every = params.replay.every_h
    folds = walk_forward(
        params.replay.start_ms,
        params.replay.end_ms,
        train_h=params.train_h,
        test_h=params.test_h,
        every_h=every,
    )
    models: list[LearnedModel] = []
    series = None
    if params.learned:
        features = Contexts(history, base, keep=True, weigh=COMPONENTS)  # the built-ins
        series, models = train_series(features, folds, every)
        base = with_series(base, series)
    contexts = Contexts(history, base, keep=True, weigh=components())
    evaluator = Evaluator(contexts, params.replay.cost_rate)
    selections = []
    for fold in folds:
        times = fold.train_times(every)
        selections.append(
            choose(evaluator, base, times, fold.test_start_ms, params.objective, params.space)
        )
        if progress is not None:
            progress("choosing", fold.index + 1, len(folds))
    configs = [s.choice.apply(base) for s in selections]
    oos = replace(params.replay, start_ms=folds[0].test_start_ms, end_ms=folds[-1].test_end_ms)
    out_of_sample = _out_of_sample(evaluator, folds, configs, base, oos)
    if progress is not None:
        progress("testing", 1, 1)
    reports: list[FoldReport] = []
    for k, (fold, selection, config) in enumerate(zip(folds, selections, configs, strict=True)):
        train = replace(params.replay, start_ms=fold.train_start_ms, end_ms=fold.test_start_ms)
        tracks = [Track("policy", constant(config)), Track("default", constant(base))]
        # Judged as of the choice: nothing after the window, even for the last trade's period.
        in_sample = run_books(contexts, tracks, base, train, known_until_ms=train.end_ms)
        report = _fold(fold, selection, in_sample.books, out_of_sample.books, oos)
        if models:
            report["learned_model"] = models[k].describe()
        reports.append(report)
    document: CalibrationReport = {
        "config_hash": _hash(base, params),
        "data": data_section(history, oos),
        **out_of_sample.document(),
        "ic_default": out_of_sample.ic_of["default"],
        "verdict": verdict(out_of_sample.strategies),
        "calibration": {
            "train_days": params.train_h / 24,
            "test_days": params.test_h / 24,
            "every_h": every,
            "objective": params.objective,
            "space": params.space.to_json(),
            "learned": params.learned,
            "learned_series": series,
            "in_sample": _mean_in_sample(reports),
            "in_sample_ic": _pooled_ic(selections),
        },
        "folds": reports,
    }
    return document, out_of_sample


def _out_of_sample(
    evaluator: Evaluator,
    folds: list[Fold],
    configs: list[PolicyConfig],
    base: PolicyConfig,
    oos: ReplayParams,
) -> BookRun:
    """The test windows as one run: the calibrated policy (each fold's choice in its window)
    beside the default and the baselines. Both policies start from the state the first training
    window left them in (what a deployment running them would hold), then carry on."""
    first = folds[0]
    calibrated, default = PolicyState(), PolicyState()
    evaluator.policy(configs[0], first.train_times(oos.every_h), first.test_start_ms, calibrated)
    evaluator.policy(base, first.train_times(oos.every_h), first.test_start_ms, default)
    tracks = [
        Track("policy", Schedule(folds, configs), calibrated),
        Track("default", constant(base), default),
    ]
    return run_books(evaluator.contexts, tracks, base, oos)


def verdict(strategies: dict[str, StrategyFigures]) -> CalibrationVerdict:
    """Out of sample, after costs, by Sharpe: does the default (the configuration calibrated
    from) beat every baseline, does the calibrated policy, and which baseline is best."""

    def ranking(name: str) -> float:
        """A strategy's Sharpe as it ranks: an undefined one below every other."""
        value = strategies[name]["sharpe"]
        return -math.inf if value is None else float(value)

    baselines = [name for name in STRATEGIES[1:] if name in strategies]
    best = max(baselines, key=ranking)
    return {
        "measure": "out-of-sample Sharpe after costs",
        "best_baseline": best,
        "best_baseline_sharpe": strategies[best]["sharpe"],
        "default_sharpe": strategies["default"]["sharpe"],
        "calibrated_sharpe": strategies["policy"]["sharpe"],
        "default_beats_every_baseline": ranking("default") > ranking(best),
        "calibrated_beats_every_baseline": ranking("policy") > ranking(best),
        "calibrated_beats_default": ranking("policy") > ranking("default"),
    }


@dataclass(frozen=True)
class Schedule:
    """The calibrated configuration in force at t: the choice of the fold whose test window
    holds t."""

    folds: list[Fold]
    configs: list[PolicyConfig]

    def __call__(self, t_ms: int) -> PolicyConfig:
        fold = bisect.bisect_right(self.folds, t_ms, key=lambda f: f.test_start_ms) - 1
        return self.configs[max(fold, 0)]


def _hash(base: PolicyConfig, params: CalibrationParams) -> str:
    return digest(
        {
            **config_json(base, params.replay),
            "calibration": {
                "train_h": params.train_h,
                "test_h": params.test_h,
                "objective": params.objective,
                "space": params.space.to_json(),
                "learned": params.learned,
            },
        }
    )


def window_figures(
    row: BookRow, start_ms: int, first_h: int, last_h: int, decisions: slice
) -> WindowFigures:
    """The figures of one book over hours [first_h, last_h] of its run (per fold and window)."""
    equity = row.equity[first_h : last_h + 1]
    figures = strategy_figures(
        equity / equity[0],
        start_ms,
        turnovers=row.turnovers[decisions].tolist(),
        fees=0.0,
        funding=0.0,
        sample_h=24,
    )
    return {
        "total_return": figures["total_return"],
        "sharpe": figures["sharpe"],
        "max_drawdown": figures["max_drawdown"],
        "turnover": figures["turnover"],
    }


def _fold(
    fold: Fold,
    selection: Selection,
    in_sample: dict[str, BookRow],
    out_of_sample: dict[str, BookRow],
    oos: ReplayParams,
) -> FoldReport:
    every_ms = oos.every_h * HOUR_MS
    first_h = (fold.test_start_ms - oos.start_ms) // HOUR_MS
    last_h = (fold.test_end_ms - oos.start_ms) // HOUR_MS
    decisions = slice(
        (fold.test_start_ms - oos.start_ms) // every_ms,
        -(-(fold.test_end_ms - oos.start_ms) // every_ms),
    )
    return {
        "index": fold.index,
        "train": {"from": iso(fold.train_start_ms), "to": iso(fold.test_start_ms)},
        "test": {"from": iso(fold.test_start_ms), "to": iso(fold.test_end_ms)},
        "chosen": selection.choice.overrides(),
        "trials": selection.trials,
        "metric_ic": selection.metric_ics,
        "in_sample": {
            name: {
                **window_figures(row, fold.train_start_ms, 0, row.equity.size - 1, slice(None)),
                "fees": round(row.fees, 10),
            }
            for name, row in in_sample.items()
        },
        "in_sample_policy": selection.outcome.to_json(),
        "out_of_sample": {
            name: window_figures(row, fold.test_start_ms, first_h, last_h, decisions)
            for name, row in out_of_sample.items()
        },
    }


def _pooled_ic(selections: list[Selection]) -> MeanT:
    """The composite IC of each fold's choice over its own training decisions, pooled: what the
    calibration saw (compare with the out-of-sample `ic.composite`). Rolling training windows
    overlap (a decision is in up to ceil(train / test) of them, each with its fold's choice):
    it counts once, with the mean of the ICs those choices had there."""
    by_time: dict[int, list[float]] = {}
    for s in selections:
        for t, v in zip(s.outcome.ic_at, s.outcome.ics, strict=True):
            by_time.setdefault(t, []).append(v)
    return mean_t([float(np.mean(by_time[t])) for t in sorted(by_time)])


def _mean_in_sample(reports: list[FoldReport]) -> dict[str, InSampleMeans]:
    """Per strategy, the mean over folds of its training-window Sharpe, total return and
    turnover."""

    def mean(values: list[float | None]) -> float | None:
        known = [v for v in values if v is not None]
        return round(float(np.mean(known)), 10) if known else None

    out: dict[str, InSampleMeans] = {}
    for name in reports[0]["in_sample"]:
        figures = [r["in_sample"][name] for r in reports]
        out[name] = {
            "sharpe": mean([f["sharpe"] for f in figures]),
            "total_return": mean([f["total_return"] for f in figures]),
            "turnover": mean([f["turnover"] for f in figures]),
        }
    return out
