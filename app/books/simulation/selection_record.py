"""What a replay records for `selection.SelectionSeries` as it decides, one decision at a time.

A contract's beta to the universe is the OLS slope of its hourly log returns on the universe's
(the mean of the eligible contracts' hourly log returns, over those known each hour) across the
168 hours to t, read through the point-in-time view: never a later candle. Only the judging
reads later closes: the returns over the period a decision is held (from its execution at the
close of t + lag to the next one's) and over each swap horizon from that execution.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from app.books.simulation.coefficients import BETA_HOURS, betas, forward_returns
from app.books.simulation.decision_context import Context
from app.books.simulation.market_history import MarketHistory, PointInTime
from app.books.simulation.policy import PolicyDecision
from app.books.simulation.replay_params import ReplayParams
from app.books.simulation.returns import recent_returns
from app.books.simulation.selection_figures import HORIZONS, Ranking, Swaps
from app.books.simulation.selection_skill import SelectionSeries
from app.platform.core.units import HOUR_MS
from app.stats.rank import SpearmanBatch


def mean_known(values: np.ndarray) -> float:
    """The mean of the finite values (NaN when there are none)."""
    known = values[np.isfinite(values)]
    return float(known.mean()) if known.size else math.nan


def trailing_returns(ctx: Context) -> np.ndarray:
    """`(len(ctx.rows), BETA_HOURS)` the shortlist's hourly log returns to t: `recent_returns`,
    read straight from the scorer's window when that covers them (its rows are `ctx.rows`)."""
    returns = ctx.returns
    if returns is None or returns.shape[1] < BETA_HOURS:
        return recent_returns(ctx, ctx.rows.tolist(), BETA_HOURS)
    return returns[:, returns.shape[1] - BETA_HOURS :]


def universe_hourly(ctx: Context, trailing: np.ndarray | None = None) -> np.ndarray:
    """`(BETA_HOURS,)` the universe's hourly log returns to t: each hour, the mean over the
    eligible contracts known that hour (NaN where none is). `trailing`: `trailing_returns(ctx)`
    when the caller has it."""
    trailing = trailing_returns(ctx) if trailing is None else trailing
    returns = trailing[[ctx.positions[i] for i in ctx.eligible]]
    have = np.isfinite(returns)
    if returns.shape[0] and have.all():  # the usual case: the same sums without masking
        return returns.sum(axis=0) / returns.shape[0]
    count = have.sum(axis=0)
    total = np.where(have, returns, 0.0).sum(axis=0)
    return np.divide(total, count, out=np.full(BETA_HOURS, np.nan), where=count > 0)


def universe_betas(
    ctx: Context, universe: np.ndarray, trailing: np.ndarray | None = None
) -> np.ndarray:
    """`(len(ctx.rows),)` each shortlisted contract's beta to `universe_hourly` (NaN where
    fewer than three hours are shared)."""
    return betas(trailing_returns(ctx) if trailing is None else trailing, universe)


def decile_spread(scores: np.ndarray, returns: np.ndarray, names: np.ndarray) -> float:
    """The mean return of the top tenth by score minus the bottom tenth's, among the pairs
    where both are known (one each under ten; ties to the name first alphabetically; NaN under
    two pairs). `names` orders the entries alphabetically."""
    known = np.flatnonzero(np.isfinite(scores) & np.isfinite(returns))
    if known.size < 2:
        return math.nan
    k = max(1, known.size // 10)
    score, tie = scores[known], names[known]
    top = known[np.lexsort((tie, -score))[:k]]
    bottom = known[np.lexsort((tie, score))[:k]]
    return float(returns[top].mean() - returns[bottom].mean())


def score_matrix(ctx: Context) -> tuple[list[str], np.ndarray]:
    """The composite (row 0), then each component's score and each metric's percentile
    (`metric:<name>`), over `ctx.rows`: the names of rows 1.. and the matrix."""
    names, rows = [], [ctx.table.composite]
    for component, arrays in ctx.table.components.items():
        names.append(component)
        rows.append(arrays.score)
        for metric, normalised in zip(arrays.metrics, arrays.normalised, strict=True):
            names.append(f"metric:{metric.name}")
            rows.append(normalised)
    return names, np.array(rows).reshape(len(rows), ctx.rows.size)


def _per_score(names: list[list[str]], ics: list[np.ndarray]) -> dict[str, np.ndarray]:
    """Each score's IC at every decision (NaN at a decision that did not have it)."""
    out: dict[str, np.ndarray] = {}
    for d, (here, values) in enumerate(zip(names, ics, strict=True)):
        for name, value in zip(here, values.tolist(), strict=True):
            out.setdefault(name, np.full(len(ics), np.nan))[d] = value
    return out


def book_returns(equity: np.ndarray, times: Sequence[int], end_ms: int) -> np.ndarray:
    """A book's return over each decision period from its hourly equity (index 0 = the first
    entry): equity at the next entry (or the end) over equity at this one, less one (`times`:
    where each decision trades)."""
    hours = (np.array([*times, end_ms], dtype=np.int64) - times[0]) // HOUR_MS
    marks = equity[hours]
    return marks[1:] / marks[:-1] - 1.0


@dataclass
class _SwapRows:
    at_ms: list[int] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    outcomes: list[list[float]] = field(default_factory=list)

    def swaps(self, cost: float) -> Swaps:
        """The swaps, each outcome less `cost` (what a swap pays: 2 x the cost rate)."""
        if not self.pairs:
            return Swaps.empty()
        return Swaps(
            np.zeros(len(self.pairs), np.int64),
            np.array(self.at_ms, dtype=np.int64),
            tuple(self.pairs),
            np.array(self.outcomes, dtype=float) - cost,
        )


class SelectionRecorder:
    """The selection series of one run: `add` at every decision, then `series`."""

    def __init__(self, history: MarketHistory, tracks: Sequence[str], params: ReplayParams):
        self.history = history
        self.tracks = list(tracks)
        self.params = params
        self.swap_cost = 2.0 * params.cost_rate
        self.universe: list[float] = []
        self.batches = {name: SpearmanBatch() for name in self.tracks}
        self.spreads: dict[str, tuple[list[float], list[float]]] = {
            name: ([], []) for name in self.tracks
        }
        self.score_names: dict[str, list[list[str]]] = {name: [] for name in self.tracks}
        self.executed, self.blocked = _SwapRows(), _SwapRows()

    def add(
        self,
        common: Context,
        contexts: Sequence[Context],
        decision: PolicyDecision,
        following_ms: int,
        entry_ms: int | None = None,
    ) -> None:
        """One decision: the universe (`common`'s eligible contracts), each track's composite
        (`contexts`, in track order) and the first track's `decision`, judged from `entry_ms`
        (its execution; default t) to `following_ms`."""
        entry = common.t_ms if entry_ms is None else entry_ms
        forward = forward_returns(common.view, following_ms, entry_ms=entry)
        market = mean_known(forward[common.eligible])
        trailing = trailing_returns(common)
        hourly = universe_hourly(common, trailing)
        names = self.history.alphabetical
        key = ("universe beta", hourly.tobytes())  # each context's betas to `hourly`
        for name, ctx in zip(self.tracks, contexts, strict=True):
            raw = forward[ctx.rows]
            own = trailing if ctx is common else trailing_returns(ctx)
            residual = raw - ctx.derived(key, universe_betas, ctx, hourly, own) * market
            composite = ctx.table.composite
            names_here, scores = score_matrix(ctx)
            self.score_names[name].append(names_here)
            self.batches[name].add(scores, np.stack([raw, residual]))
            spreads = self.spreads[name]
            spreads[0].append(decile_spread(composite, raw, names[ctx.rows]))
            spreads[1].append(decile_spread(composite, residual, names[ctx.rows]))
        self.universe.append(market)
        if decision.replaced or decision.blocked:
            horizons = self._horizon_returns(common.view, entry)
            self._swaps(self.executed, common.t_ms, decision.replaced, horizons)
            self._swaps(self.blocked, common.t_ms, decision.blocked, horizons)

    def _horizon_returns(self, view: PointInTime, entry_ms: int) -> list[np.ndarray | None]:
        """Every contract's return from the execution over each horizon (None past the
        history's end)."""
        last = self.history.last_close_ms()
        return [
            forward_returns(view, entry_ms + hours * HOUR_MS, entry_ms=entry_ms)
            if entry_ms + hours * HOUR_MS <= last
            else None
            for hours in HORIZONS.values()
        ]

    def _swaps(
        self,
        rows: _SwapRows,
        t_ms: int,
        entries: Sequence[Mapping[str, object]],
        horizons: list[np.ndarray | None],
    ) -> None:
        index = self.history.index_of
        for entry in entries:
            if entry["outsider"] is None:  # blocked for want of an outsider: nothing to compare
                continue
            member, outsider = str(entry["member"]), str(entry["outsider"])
            leaving, joining = index(member), index(outsider)
            rows.at_ms.append(t_ms)
            rows.pairs.append((member, outsider))
            rows.outcomes.append(
                [math.nan if r is None else float(r[joining] - r[leaving]) for r in horizons]
            )

    def series(
        self,
        equity: Mapping[str, np.ndarray],
        times: Sequence[int],
        entries: Sequence[int] | None = None,
        cost_rate: float | None = None,
    ) -> SelectionSeries:
        """The series of the decisions added at `times`, with each strategy's book from its
        hourly `equity` (index 0 at the first entry) over the periods between `entries` (each
        decision's execution, then the valuation end; default the decision times and the
        end), and swaps paying 2 x `cost_rate` (default the parameters')."""
        entries = [*times, self.params.end_ms] if entries is None else entries
        swap_cost = self.swap_cost if cost_rate is None else 2.0 * cost_rate
        rankings = {}
        for name in self.tracks:
            results = self.batches[name].results()
            raw, residual = self.spreads[name]
            rankings[name] = Ranking(
                np.array([r[0, 0] for r in results], dtype=float),
                np.array([r[1, 0] for r in results], dtype=float),
                np.array(raw, dtype=float),
                np.array(residual, dtype=float),
                scores=_per_score(self.score_names[name], [r[1, 1:] for r in results]),
            )
        return SelectionSeries(
            every_h=self.params.every_h,
            swap_cost=swap_cost,
            labels=(self.history.source,),
            dataset=np.zeros(len(times), np.int64),
            at_ms=np.array(times, dtype=np.int64),
            universe=np.array(self.universe, dtype=float),
            books={
                name: book_returns(curve, entries[:-1], entries[-1])
                for name, curve in equity.items()
            },
            rankings=rankings,
            executed=self.executed.swaps(swap_cost),
            blocked=self.blocked.swaps(swap_cost),
            full=np.diff(np.asarray(entries, np.int64)) >= self.params.every_h * HOUR_MS,
        )
