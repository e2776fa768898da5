"""Information coefficients, decision by decision: the Spearman correlation of every score at t
(composite, component, metric) with the return over the period the decision is held, also net of
BTC beta, with the benchmark's direction over the period (`app.stats.ic.IcSeries` keeps and
summarises them). A decision at t trades at the close of t + lag (`ReplayParams.
execution_lag_h`): its period runs from there to the next decision's execution; the scores (and
the betas) still read nothing later than t.

The same numbers as `app.stats.rank.spearman` and `app.portfolio.maths.correlation.beta` called
per score and per symbol, computed for all of them at once (`app.stats.rows`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from typing import cast

import numpy as np

from app.books.simulation.decision_context import Context
from app.books.simulation.market_history import MarketHistory, PointInTime
from app.books.simulation.replay_report import F, IcSection
from app.books.simulation.returns import recent_returns
from app.portfolio.maths.correlation import MIN_COMMON_BARS
from app.scoring.scorers.component_registry import components
from app.scoring.scorers.components import COMPONENTS
from app.stats.ic import IcFigures, IcSeries
from app.stats.rank import SpearmanBatch
from app.stats.rows import dots, mask_groups

BETA_HOURS = 168


def betas(returns: np.ndarray, benchmark: np.ndarray) -> np.ndarray:
    """`beta(row, benchmark)` of each row of `(k, T)` returns, NaN where it is None."""
    k, bars = returns.shape
    out = np.full(k, np.nan)
    if k and bars >= MIN_COMMON_BARS and not (np.isnan(returns).any() or np.isnan(benchmark).any()):
        groups = [(np.arange(k), np.arange(bars))]  # the usual case: every bar shared
    else:
        both = ~np.isnan(returns) & ~np.isnan(benchmark)
        counted = np.flatnonzero(np.count_nonzero(both, axis=1) >= MIN_COMMON_BARS)
        groups = [(counted[group], columns) for group, columns in mask_groups(both[counted])]
    for rows, columns in groups:
        b = benchmark[columns]
        if np.ptp(b) == 0.0:
            continue
        db = b - b.mean()
        complete = rows.size == k and columns.size == bars
        r = returns if complete else returns[np.ix_(rows, columns)]
        centred = r - r.mean(axis=1)[:, None]
        out[rows] = dots(centred, np.broadcast_to(db, centred.shape)) / float(db @ db)
    return out


def forward_returns(
    view: PointInTime, following_ms: int, *, entry_ms: int | None = None
) -> np.ndarray:
    """Every symbol's return from its last close at `entry_ms` (default `view.t_ms`: no lag) to
    its last close at `following_ms` (what a score at t is judged against; NaN where either is
    missing)."""
    history = view.history
    if entry_ms is None or entry_ms == view.t_ms:
        entry = history.close[:, view.end - 1]
    else:
        entry = history.at(entry_ms).candles("close", 1)[:, 0]
    return history.at(following_ms).candles("close", 1)[:, 0] / entry - 1.0


def _with_benchmark(ctx: Context, benchmark: int) -> np.ndarray:
    """`recent_returns(ctx, [*ctx.rows, benchmark], BETA_HOURS)`: the scorer's rows are in
    order, so only the benchmark's is picked."""
    returns, at = ctx.returns, ctx.positions.get(benchmark)
    if returns is None or returns.shape[1] < BETA_HOURS or at is None:
        return recent_returns(ctx, [*ctx.rows.tolist(), benchmark], BETA_HOURS)
    window = returns[:, returns.shape[1] - BETA_HOURS :]
    return np.concatenate([window, window[at : at + 1]])


def _betas_to(ctx: Context, benchmark: int) -> np.ndarray:
    """`betas` of the shortlist's hourly returns to the benchmark's over `BETA_HOURS`."""
    returns = _with_benchmark(ctx, benchmark)
    return betas(returns[:-1], returns[-1])


class InformationCoefficients:
    """The IC series of every score, added one decision at a time."""

    def __init__(self, history: MarketHistory, benchmark: str) -> None:
        self.history = history
        self.benchmark = history.index_of(benchmark) if benchmark in history.symbols else None
        self.decisions: list[tuple[list[str], bool]] = []  # score names, market up
        self.batch = SpearmanBatch()

    def add(self, ctx: Context, following_ms: int, entry_ms: int | None = None) -> None:
        """The ICs of the scores at `ctx` against the returns from `entry_ms` (the decision's
        execution; default t) to `following_ms`."""
        b, rows = self.benchmark, ctx.rows
        forward_all = forward_returns(ctx.view, following_ms, entry_ms=entry_ms)
        forward = forward_all[rows]
        market = float(forward_all[b]) if b is not None else math.nan
        if b is not None and np.isfinite(market):
            residual = forward - ctx.derived(("beta", b), _betas_to, ctx, b) * market
        else:
            residual = np.full(rows.size, np.nan)
        scores = {"composite": ctx.table.composite}
        for name, arrays in ctx.table.components.items():
            scores[name] = arrays.score
            for metric, normalised in zip(arrays.metrics, arrays.normalised, strict=True):
                scores[f"metric:{metric.name}"] = normalised
        matrix = np.array(list(scores.values())).reshape(len(scores), rows.size)
        self.batch.add(matrix, np.stack([forward, residual]))
        self.decisions.append((list(scores), market > 0))

    def series(self) -> dict[str, IcSeries]:
        """Every score's IC at each decision where it is known, by name (`metric:<name>` for
        metrics): what `summary` reports, and what several runs pool."""
        series: dict[str, IcSeries] = {}
        for (names, up), (ics, net) in zip(self.decisions, self.batch.results(), strict=True):
            for name, ic, ic_net in zip(names, ics.tolist(), net.tolist(), strict=True):
                entry = series.setdefault(name, IcSeries())
                if not math.isnan(ic):
                    entry.append(ic, ic_net, up)
        return series

    def summary(self) -> IcSection[IcFigures]:
        """The report's `ic` section: composite and components, then metrics by name."""
        return ic_summary(self.series())


def ic_summary(series: Mapping[str, IcSeries]) -> IcSection[IcFigures]:
    """The report's `ic` section of `InformationCoefficients.series`."""
    return ic_section(series, lambda name: series.get(name, IcSeries()).summary())


def ic_section(scored: Collection[str], figures: Callable[[str], F]) -> IcSection[F]:
    """`figures(name)` of each score laid out as the report's `ic` section: composite and
    components (the built-in ones even when none was `scored`), then metrics by name."""
    out: dict[str, F | dict[str, F]] = {
        name: figures(name)
        for name in ("composite", *components())
        if name in ("composite", *COMPONENTS) or name in scored  # plug-ins: when scored
    }
    out["metrics"] = {
        name.removeprefix("metric:"): figures(name)
        for name in sorted(scored)
        if name.startswith("metric:")
    }
    # The built-ins and `metrics` are the TypedDict's keys; a scored plug-in is one more.
    return cast("IcSection[F]", out)
