"""A replay: the policy and the baselines decided at every decision time on point-in-time
history, their books marked hourly, and the evidence as one JSON-ready document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from app.replay.baselines import BtcHold, EqualWeight, Momentum, RandomPicks, TopVolume
from app.replay.config import HOUR_MS, PolicyConfig, ReplayParams, config_hash
from app.replay.context import Context, Contexts
from app.replay.evidence import IcSeries, strategy_figures
from app.replay.history import MarketHistory
from app.replay.ic import InformationCoefficients, ic_summary
from app.replay.policy import PolicyDecision, PolicyState, book_weights, step
from app.replay.selection import SelectionSeries
from app.replay.selection_record import SelectionRecorder
from app.replay.simulate import Books, Ledger

STRATEGIES = ("policy", "btc_hold", "equal_weight", "top_volume", "momentum", "random")
Progress = Callable[[int, int], None]


class ReplayRangeError(ValueError):
    """The asked range has no decision inside the history."""


def iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat().replace("+00:00", "Z")


def check_range(history: MarketHistory, params: ReplayParams) -> None:
    if params.start_ms % HOUR_MS or params.end_ms % HOUR_MS:
        raise ReplayRangeError("from and to must be whole hours (UTC)")
    if params.start_ms < history.first_close_ms() or params.end_ms > history.last_close_ms():
        raise ReplayRangeError(
            f"the range must lie within the history: {iso(history.first_close_ms())} to "
            f"{iso(history.last_close_ms())}"
        )
    if not params.decision_times():
        raise ReplayRangeError("no decision time between from and to")


@dataclass
class Track:
    """A book the decision policy keeps: the configuration in force at each decision time and
    the policy's state (fresh, or carried over from earlier decisions)."""

    name: str
    config_at: Callable[[int], PolicyConfig]
    state: PolicyState = field(default_factory=PolicyState)


def constant(config: PolicyConfig) -> Callable[[int], PolicyConfig]:
    """A track's configuration that never changes."""

    def config_at(_t_ms: int) -> PolicyConfig:
        return config

    return config_at


def replay(
    history: MarketHistory,
    policy: PolicyConfig,
    params: ReplayParams,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Run every strategy over `params`' decision times; the evidence document."""
    return replayed(history, policy, params, progress)[0]


def replayed(
    history: MarketHistory,
    policy: PolicyConfig,
    params: ReplayParams,
    progress: Progress | None = None,
) -> tuple[dict[str, Any], BookRun]:
    """`replay`'s document and the run it was written from (per-decision series to pool)."""
    check_range(history, params)
    contexts = Contexts(history, policy, keep=False)
    track = Track("policy", constant(policy))
    run = run_books(contexts, [track], policy, params, progress)
    document = {
        "config_hash": config_hash(policy, params),
        "data": data_section(history, params),
        **run.document(),
    }
    return document, run


def data_section(history: MarketHistory, params: ReplayParams) -> dict[str, Any]:
    times = params.decision_times()
    return {
        "symbols": history.size,
        "from": iso(times[0]),
        "to": iso(params.end_ms),
        "decisions": len(times),
        "funding": "known" if history.funding_known else "unknown",
        "source": history.source,
    }


def run_books(
    contexts: Contexts,
    tracks: list[Track],
    reference: PolicyConfig,
    params: ReplayParams,
    progress: Progress | None = None,
) -> BookRun:
    """The tracks and the baselines (chosen among `reference`'s scored symbols, its top N and
    benchmark) at `params`' decision times: `strategies`, `ic`, `decisions`, `exits` and
    `selection` of the report (the information coefficients, decisions, exits and swaps are the
    first track's; the selection universe is the symbols `reference` finds eligible)."""
    history = contexts.history
    times = params.decision_times()
    ledger = Ledger(history)
    n, top = history.size, reference.max_symbols
    baselines: dict[str, Any] = {
        "btc_hold": BtcHold(reference.benchmark),
        "equal_weight": EqualWeight(),
        "top_volume": TopVolume(top),
        "momentum": Momentum(top, params.momentum_days),
    }
    randoms = RandomPicks(top, params.random_seed, params.random_draws, n)
    named = (*(t.name for t in tracks), *baselines)  # rows of `books`; the random draws follow
    books = Books.empty(len(named) + params.random_draws, n)
    ics = [InformationCoefficients(history, reference.benchmark) for _ in tracks]
    selection = SelectionRecorder(history, [t.name for t in tracks], params)
    decisions: list[dict[str, Any]] = []
    exits: list[dict[str, Any]] = []
    for d, t in enumerate(times):
        weights = np.zeros((books.size, n))
        trading = np.ones(books.size, dtype=bool)
        seen: list[tuple[Context, PolicyConfig]] = []
        first_decision: PolicyDecision | None = None
        for row, track in enumerate(tracks):
            config = track.config_at(t)
            members = {h.index for h in track.state.members}
            ctx = contexts.at(t, members, config.scoring)
            decision = step(ctx, track.state, config, track.state.next_run_id())
            trading[row] = decision.trade
            weights[row] = book_weights(decision, history)
            seen.append((ctx, config))
            if row == 0:
                decisions.append(decision_entry(t, decision))
                first_decision = decision
                exits.extend({"at": iso(t), **e} for e in decision.exits)
        first, first_config = seen[0]
        members = {h.index for h in tracks[0].state.members}
        common = (
            first
            if reference.scoring == first_config.scoring
            else contexts.at(t, members, reference.scoring)
        )
        column = ledger.column(t)
        if d == 0:
            books.equity.append(ledger.values(books, column)[:, None])
        for row, strategy in enumerate(baselines.values(), start=len(tracks)):
            target = strategy.targets(common)
            trading[row] = target is not None
            if target is not None:
                weights[row] = target
        weights[len(named) :] = randoms.targets(common)
        ledger.rebalance(books, column, weights, trading, params.cost_rate)
        following = times[d + 1] if d + 1 < len(times) else params.end_ms
        ledger.carry(books, column, ledger.column(following))
        for ic, (ctx, _) in zip(ics, seen, strict=True):
            ic.add(ctx, following)
        assert first_decision is not None
        selection.add(common, [ctx for ctx, _ in seen], first_decision, following)
        if progress is not None:
            progress(d + 1, len(times))
    rows = _rows(books, named)
    order = (*(t.name for t in tracks), *STRATEGIES[1:])
    sample_h = min(params.every_h, 24)
    strategies = {
        name: strategy_figures(
            rows[name].equity,
            times[0],
            turnovers=rows[name].turnovers.tolist(),
            fees=rows[name].fees,
            funding=rows[name].funding,
            sample_h=sample_h,
        )
        for name in order
    }
    ic_series = {track.name: ic.series() for track, ic in zip(tracks, ics, strict=True)}
    ic_of = {name: ic_summary(scores) for name, scores in ic_series.items()}
    books_of = {name: rows[name] for name in order}
    series = selection.series({name: row.equity for name, row in books_of.items()}, times)
    return BookRun(
        strategies, ic_of[tracks[0].name], decisions, books_of, ic_of, exits, series, ic_series
    )


def decision_entry(t_ms: int, decision: PolicyDecision) -> dict[str, Any]:
    return {
        "at": iso(t_ms),
        "members": decision.members,
        "weights": {s: float(w) for s, w in decision.weights.items()},
        "replaced": decision.replaced,
        "blocked": decision.blocked,
        "added": decision.added,
        "exits": decision.exits,
        "traded": decision.trade,
    }


@dataclass(frozen=True)
class BookRow:
    """One strategy's book over a run."""

    equity: np.ndarray  # hourly, from the first decision
    turnovers: np.ndarray  # per decision
    fees: float
    funding: float


@dataclass(frozen=True)
class BookRun:
    strategies: dict[str, dict[str, Any]]  # figures by strategy
    ic: dict[str, Any]
    decisions: list[dict[str, Any]]
    books: dict[str, BookRow]
    ic_of: dict[str, dict[str, Any]]  # every track's information coefficients (`ic`: the first's)
    exits: list[dict[str, Any]]  # the first track's exits, each with its decision time `at`
    selection: SelectionSeries  # per decision, for the report's `selection` (and for pooling)
    ic_series: dict[str, dict[str, IcSeries]]  # per track, each score's ICs (for pooling)

    def document(self) -> dict[str, Any]:
        """The report's `strategies`, `ic`, `decisions`, `exits` and `selection`."""
        return {
            "strategies": self.strategies,
            "ic": self.ic,
            "decisions": self.decisions,
            "exits": self.exits,
            "selection": self.selection.summary(),
        }


def _rows(books: Books, named: tuple[str, ...]) -> dict[str, BookRow]:
    """Each named book, and the mean of the random books' as `random`."""
    equity, turnovers = books.equity_curves(), books.turnover_table()
    draws = slice(len(named), None)
    rows = {
        name: BookRow(equity[k], turnovers[k], float(books.fees[k]), float(books.funding[k]))
        for k, name in enumerate(named)
    }
    rows["random"] = BookRow(
        np.mean(equity[draws], axis=0),
        np.mean(turnovers[draws], axis=0),
        float(np.mean(books.fees[draws])),
        float(np.mean(books.funding[draws])),
    )
    return rows
