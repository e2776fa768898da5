"""Judging a family of fixed configurations on one history: every candidate replayed over the
same decisions as a track of one book run (candidates that differ only in weights share one
scoring per decision), with the selection-skill series each needs for the adoption rule."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.calibration.adoption import CandidateEvidence
from app.replay.config import PolicyConfig, ReplayParams, config_hash
from app.replay.context import Contexts, scoring_beyond_weights
from app.replay.evidence import mean_t
from app.replay.history import MarketHistory
from app.replay.run import Track, constant, data_section, run_books
from app.replay.selection import SelectionSeries
from app.replay.skill import periods_per_year, regression
from app.scoring.metrics import COMPONENTS

POLICY = "policy"


@dataclass(frozen=True)
class Judged:
    """One candidate on one history."""

    name: str
    config_hash: str
    strategies: dict[str, Any]  # the report's figures of the candidate's book and the baselines
    ic: dict[str, Any]  # the report's `ic` (composite, components, metrics)
    series: SelectionSeries  # the candidate is its `policy` track; the baselines as the report's


def judge_history(
    history: MarketHistory, candidates: Mapping[str, PolicyConfig], params: ReplayParams
) -> tuple[dict[str, Any], dict[str, Judged]]:
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
        run = run_books(contexts, tracks, first, params)
        baselines = {k: v for k, v in run.strategies.items() if k not in names}
        for name in names:
            judged[name] = Judged(
                name=name,
                config_hash=config_hash(candidates[name], params),
                strategies={POLICY: run.strategies[name], **baselines},
                ic=run.ic_of[name],
                series=_as_policy(run.selection, name, names),
            )
    return data_section(history, params), judged


def _as_policy(series: SelectionSeries, name: str, tracks: list[str]) -> SelectionSeries:
    """`series` with track `name` as the `policy` book and ranking, the other tracks left out
    (the replacement outcomes stay the group's first track's)."""
    books = {POLICY: series.books[name]}
    books.update({k: v for k, v in series.books.items() if k not in tracks})
    return SelectionSeries(
        every_h=series.every_h,
        swap_cost=series.swap_cost,
        labels=series.labels,
        dataset=series.dataset,
        at_ms=series.at_ms,
        universe=series.universe,
        books=books,
        rankings={POLICY: series.rankings[name]},
        executed=series.executed,
        blocked=series.blocked,
    )


def candidate_figures(judged: Judged) -> dict[str, Any]:
    """What the adoption rule and the README read of one candidate on one history."""
    series = judged.series
    ranking = series.rankings[POLICY]
    book = judged.strategies[POLICY]
    skill = regression(series.books[POLICY], series.universe, periods_per_year(series.every_h))
    return {
        "config_hash": judged.config_hash[:12],
        "ic_residual": _mean_known(ranking.ic_residual),
        "ic_raw": _mean_known(ranking.ic_raw),
        "alpha_annualised": skill["alpha_annualised"],
        "alpha_t": skill["alpha_t"],
        "beta": skill["beta"],
        "information_ratio": skill["information_ratio"],
        **{k: book[k] for k in ("total_return", "sharpe", "max_drawdown", "turnover", "fees")},
        "components": {
            c: {"raw": judged.ic[c], "residual": _mean_known(ranking.scores.get(c))}
            for c in COMPONENTS
            if c in judged.ic
        },
    }


def metric_table(judged: Judged) -> dict[str, dict[str, Any]]:
    """Each metric's IC with the raw and with the universe-residual returns (mean, t, n)."""
    scores = judged.series.rankings[POLICY].scores
    return {
        name: {"raw": raw, "residual": _mean_known(scores.get(f"metric:{name}"))}
        for name, raw in judged.ic["metrics"].items()
    }


def _mean_known(values: Any) -> dict[str, Any]:
    return mean_t([] if values is None else [v for v in values.tolist() if v == v])


def pooled(judged: Iterable[Judged]) -> dict[str, Any]:
    """The skill and raw IC over every judged decision of every dataset, each counted once."""
    rankings = [j.series.rankings[POLICY] for j in judged]
    return {
        kind: mean_t([v for r in rankings for v in getattr(r, f"ic_{kind}").tolist() if v == v])
        for kind in ("residual", "raw")
    }


def evidence(name: str, per_dataset: Mapping[str, Judged]) -> CandidateEvidence:
    """The adoption rule's view of one candidate across datasets."""
    return CandidateEvidence(
        name=name,
        ics={d: j.series.rankings[POLICY].ic_residual.tolist() for d, j in per_dataset.items()},
        alpha={
            d: float(
                regression(
                    j.series.books[POLICY], j.series.universe, periods_per_year(j.series.every_h)
                )["alpha_annualised"]
                or float("nan")
            )
            for d, j in per_dataset.items()
        },
    )
