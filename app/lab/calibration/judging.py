"""Judging a family of fixed configurations on one history: every candidate replayed over the
same decisions as a track of one book run (candidates that differ only in weights share one
scoring per decision), with the selection-skill series each needs for the adoption rule."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TypeVar

import numpy as np

from app.books.simulation.decision_context import Contexts, scoring_beyond_weights
from app.books.simulation.market_history import MarketHistory
from app.books.simulation.replay_params import ReplayParams, config_hash
from app.books.simulation.replay_report import (
    DataSection,
    IcSection,
    RawAndResidual,
    StrategyFigures,
    score_figures,
)
from app.books.simulation.selection_skill import SelectionSeries
from app.lab.calibration.adoption import CandidateEvidence
from app.lab.calibration.calibration_report import CandidateFigures, ScoreIc, Sensitivity
from app.lab.calibration.sensitivity import sensitivity, variants
from app.lab.replay.replaying import Track, constant, data_section, run_books
from app.portfolio.policy.settings import PolicyConfig
from app.scoring.scorers.components import COMPONENTS
from app.stats.ic import IcFigures, MeanT, mean_t
from app.stats.nulls import null_distribution
from app.stats.skill import paired, periods_per_year, regression

POLICY = "policy"
V = TypeVar("V")


@dataclass(frozen=True)
class Judged:
    """One candidate on one history."""

    name: str
    config_hash: str
    strategies: dict[str, StrategyFigures]  # the figures of the candidate's book and baselines
    ic: IcSection[IcFigures]  # the report's `ic` (composite, components, metrics)
    series: SelectionSeries  # the candidate is its `policy` track; the baselines as the report's
    sensitivity: Sensitivity | None = None  # `sensitivity.sensitivity`


def judge_history(
    history: MarketHistory, candidates: Mapping[str, PolicyConfig], params: ReplayParams
) -> tuple[DataSection, dict[str, Judged]]:
    """Every candidate over `params`' decisions on `history`: the data section and each one's
    figures. Candidates are grouped by what they fix beyond weights; a group is one book run
    in which each candidate is a track (its own policy state, the group's shared scoring)."""
    groups: dict[str, list[str]] = {}
    for name, policy in candidates.items():
        groups.setdefault(repr(scoring_beyond_weights(policy.scoring)), []).append(name)
    judged: dict[str, Judged] = {}
    for names in groups.values():
        first = candidates[names[0]]
        contexts = Contexts(history, first, keep=False, weigh=COMPONENTS)
        tracks = [Track(name, constant(candidates[name])) for name in names]
        run = run_books(contexts, tracks, first, params, variants=variants(params))
        for name in names:
            judged[name] = Judged(
                name=name,
                config_hash=config_hash(candidates[name], params),
                strategies={
                    POLICY: run.strategies[name],
                    **_baselines(run.strategies, name, names),
                },
                ic=run.ic_of[name],
                series=_as_policy(run.selection, name, names),
                sensitivity=sensitivity(run, name, params),
            )
    return data_section(history, params, next(iter(candidates.values()))), judged


def _baselines(of: Mapping[str, V], name: str, tracks: list[str]) -> dict[str, V]:
    """The entries of `of` that are not tracks, with track `name`'s own turnover null as
    `random_turnover` (the group's first track's is `random_turnover`, the others'
    `random_turnover@<track>`): what a run of `name` alone has."""
    own = "random_turnover" if name == tracks[0] else f"random_turnover@{name}"
    out = {k: v for k, v in of.items() if k not in tracks and "@" not in k}
    if own in of:
        out["random_turnover"] = of[own]
    return out


def _as_policy(series: SelectionSeries, name: str, tracks: list[str]) -> SelectionSeries:
    """`series` with track `name` as the `policy` book and ranking, the other tracks left out
    (the replacement outcomes stay the group's first track's)."""
    books = {POLICY: series.books[name], **_baselines(series.books, name, tracks)}
    return replace(
        series,
        books=books,
        rankings={POLICY: series.rankings[name]},
        draws=_baselines(series.draws, name, tracks),
    )


def candidate_figures(judged: Judged, default: Judged | None = None) -> CandidateFigures:
    """What the adoption rule and the README read of one candidate on one history (over whole
    decision periods): its skill IC (against universe-residual returns) and raw IC with their
    HAC t, its alpha with OLS and HAC t, its percentile among each null's random books (return,
    Sharpe, alpha: `among_random`), and, beside `default`, the paired regression of its book
    minus the default's on the universe (`paired_vs_default`: alpha lead and HAC t)."""
    series = judged.series.full_periods()
    ranking = series.rankings[POLICY]
    book = judged.strategies[POLICY]
    skill = regression(series.books[POLICY], series.universe, periods_per_year(series.every_h))
    vs_default = None
    if default is not None and default is not judged:
        theirs = default.series.full_periods()
        vs_default = paired(
            series.books[POLICY],
            theirs.books[POLICY],
            series.universe,
            periods_per_year(series.every_h),
        )
    return {
        "config_hash": judged.config_hash[:12],
        "ic_residual_universe": _mean_known(ranking.ic_residual),
        "ic_raw": _mean_known(ranking.ic_raw),
        "alpha_annualised": skill["alpha_annualised"],
        "alpha_t": skill["alpha_t"],
        "alpha_t_hac": skill["alpha_t_hac"],
        "beta": skill["beta"],
        "information_ratio": skill["information_ratio"],
        "paired_vs_default": vs_default,
        "among_random": {
            null: null_distribution(
                {POLICY: series.books[POLICY]},
                draws,
                series.universe,
                periods_per_year(series.every_h),
            )["percentile"][POLICY]
            for null, draws in series.draws.items()
        },
        "total_return": book["total_return"],
        "sharpe": book["sharpe"],
        "max_drawdown": book["max_drawdown"],
        "turnover": book["turnover"],
        "fees": book["fees"],
        "components": {
            c: {"raw": raw, "residual_universe": _mean_known(ranking.scores.get(c))}
            for c in COMPONENTS
            if (raw := score_figures(judged.ic, c)) is not None
        },
    }


def metric_table(judged: Judged) -> dict[str, ScoreIc]:
    """Each metric's IC with the raw and with the universe-residual returns (mean, t, HAC t,
    n)."""
    scores = judged.series.full_periods().rankings[POLICY].scores
    return {
        name: {"raw": raw, "residual_universe": _mean_known(scores.get(f"metric:{name}"))}
        for name, raw in judged.ic["metrics"].items()
    }


def _mean_known(values: np.ndarray | None) -> MeanT:
    return mean_t([] if values is None else [v for v in values.tolist() if v == v])


def pooled(judged: Iterable[Judged]) -> RawAndResidual:
    """The skill IC (universe-residual) and raw IC over every judged decision of every dataset,
    each counted once (the HAC t's lagged products within a dataset)."""
    rankings = [j.series.full_periods().rankings[POLICY] for j in judged]

    def of(kind: str) -> MeanT:
        values = [getattr(r, f"ic_{kind}") for r in rankings]
        known = [v[np.isfinite(v)] for v in values]
        blocks = [k for k, v in enumerate(known) for _ in range(v.size)]
        return mean_t([x for v in known for x in v.tolist()], blocks)

    return {"residual_universe": of("residual"), "raw": of("raw")}


def evidence(name: str, per_dataset: Mapping[str, Judged]) -> CandidateEvidence:
    """The adoption rule's view of one candidate across datasets (whole periods only)."""
    series = {d: j.series.full_periods() for d, j in per_dataset.items()}
    every_h = {s.every_h for s in series.values()}
    if len(every_h) > 1:
        raise ValueError(f"{name} was judged at several decision intervals: {every_h}")
    return CandidateEvidence(
        name=name,
        ics={d: s.rankings[POLICY].ic_residual.tolist() for d, s in series.items()},
        books={d: s.books[POLICY].tolist() for d, s in series.items()},
        universe={d: s.universe.tolist() for d, s in series.items()},
        per_year=periods_per_year(every_h.pop()) if every_h else math.nan,
    )
