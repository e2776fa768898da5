"""A replay: the policy and the baselines decided at every decision time on point-in-time
history, their books marked hourly, and the evidence as one JSON-ready document.

Judged as it trades: a decision at t reads nothing later than t (the candle closing at t) and
trades at the close of t + `execution_lag_h` (live, the first trade comes an hour or more after
the scoring run); its book return, ICs, decile spreads and swap outcomes run from there to the
next decision's trade, and the books are valued to `ReplayParams.valued_to`. Variants that differ
only in costs or lag (`Variant`) are further books of the same run: the same scoring and policy
steps, traded and judged again."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import cast

import numpy as np

from app.books.simulation.baselines import (
    BtcHold,
    EqualWeight,
    Momentum,
    RandomNulls,
    TopVolume,
)
from app.books.simulation.coefficients import InformationCoefficients
from app.books.simulation.decision_context import Context, Contexts
from app.books.simulation.market_history import MarketHistory
from app.books.simulation.policy import PolicyDecision, PolicyState, book_weights, step
from app.books.simulation.replay_params import ReplayParams, config_hash
from app.books.simulation.replay_report import (
    DataSection,
    DecisionEntry,
    DecisionExit,
    Hysteresis,
    MarketDataSection,
    ReplayReport,
)
from app.books.simulation.selection_record import SelectionRecorder
from app.lab.replay.schedules import BookRun, Judging, Schedule, Variant
from app.lab.replay.simulate import Books, Ledger
from app.market.contracts.data_source import Provenance
from app.platform.core.units import HOUR_MS
from app.portfolio.policy.replacement_facts import decisions_needed
from app.portfolio.policy.settings import PolicyConfig

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
) -> ReplayReport:
    """Run every strategy over `params`' decision times; the evidence document."""
    return replayed(history, policy, params, progress)[0]


def replayed(
    history: MarketHistory,
    policy: PolicyConfig,
    params: ReplayParams,
    progress: Progress | None = None,
) -> tuple[ReplayReport, BookRun]:
    """`replay`'s document and the run it was written from (per-decision series to pool)."""
    check_range(history, params)
    contexts = Contexts(history, policy, keep=False)
    track = Track("policy", constant(policy))
    run = run_books(contexts, [track], policy, params, progress)
    document: ReplayReport = {
        "config_hash": config_hash(policy, params),
        "data": data_section(history, params, policy),
        **run.document(),
    }
    return document, run


def data_section(
    history: MarketHistory, params: ReplayParams, policy: PolicyConfig | None = None
) -> DataSection:
    """The report's `data`: the history, the decisions and where they trade (`execution_lag_h`
    hours after each decision, the books valued to `valued_to`); with `policy`, the hysteresis
    at this cadence (`hysteresis_section`)."""
    times = params.decision_times()
    data: DataSection = {
        "symbols": history.size,
        "from": iso(times[0]),
        "to": iso(params.end_ms),
        "decisions": len(times),
        "execution_lag_h": params.execution_lag_h,
        "valued_to": iso(params.valued_to(history.last_close_ms())),
        "funding": "known" if history.funding_known else "unknown",
        "source": history.source,
    }
    if history.market_sources is not None:
        data["market_data"] = cast(MarketDataSection, Provenance(history.market_sources).to_json())
    if policy is not None:
        data["hysteresis"] = hysteresis_section(policy, params)
    return data


def hysteresis_section(policy: PolicyConfig, params: ReplayParams) -> Hysteresis:
    """The replacement hysteresis at the replay's cadence: the hours it must span, the decisions
    that takes (ceil(hours / every) + 1) and the span those cover, more than asked when the
    cadence does not divide the hours (`rounded_up`)."""
    hours = policy.replacement.confirmation_hours
    decisions = decisions_needed(hours, params.every_h)
    spans = (decisions - 1) * params.every_h
    return {
        "confirmation_hours": hours,
        "decisions": decisions,
        "spans_h": spans,
        "rounded_up": spans > hours,
    }


def run_books(
    contexts: Contexts,
    tracks: list[Track],
    reference: PolicyConfig,
    params: ReplayParams,
    progress: Progress | None = None,
    variants: Sequence[Variant] = (),
    known_until_ms: int | None = None,
) -> BookRun:
    """The tracks and the baselines (chosen among `reference`'s scored symbols, its top N and
    benchmark) at `params`' decision times: `strategies`, `ic`, `decisions`, `exits` and
    `selection` of the report (the information coefficients, decisions, exits and swaps are the
    first track's; the selection universe is the symbols `reference` finds eligible). Each of
    `variants` trades and judges the same decisions again with its own costs or lag (no second
    scoring, no second policy step): `BookRun.variants`. `known_until_ms`: nothing later is read,
    even to value the books (a window judged before a choice made at its end: the last trade's
    period stops there)."""
    history = contexts.history
    times = params.decision_times()
    last = history.last_close_ms()
    last = last if known_until_ms is None else min(last, known_until_ms)
    ledger = Ledger(history)
    n, top = history.size, reference.max_symbols
    baselines: dict[str, BtcHold | EqualWeight | TopVolume | Momentum] = {
        "btc_hold": BtcHold(reference.benchmark),
        "equal_weight": EqualWeight(),
        "top_volume": TopVolume(top),
        "momentum": Momentum(top, params.momentum_days),
    }
    randoms = RandomNulls(top, params.random_seed, params.random_draws, n, len(tracks))
    named = (*(t.name for t in tracks), *baselines)  # rows of `books`; the random draws follow
    names = [t.name for t in tracks]
    judging: dict[int, Judging] = {}
    schedules = []
    for name, p in (("", params), *((v.name, v.params(params)) for v in variants)):
        lag = p.execution_lag_h
        if lag not in judging:
            judging[lag] = Judging(
                p.execution_times(last),
                {name: InformationCoefficients(history, reference.benchmark) for name in names},
                SelectionRecorder(history, names, p),
            )
        # A variant keeps the tracks' books only: what its figures are read for.
        size = len(named) + randoms.rows if not name else len(tracks)
        schedules.append(Schedule(name, p, judging[lag], Books.empty(size, n)))
    decisions: list[DecisionEntry] = []
    exits: list[DecisionExit] = []
    for d, t in enumerate(times):
        weights = np.zeros((len(named) + randoms.rows, n))
        trading = np.ones(weights.shape[0], dtype=bool)
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
                traded_at = judging[params.execution_lag_h].entries[d]
                decisions.append(decision_entry(t, decision, traded_at))
                first_decision = decision
                exits.extend({"at": iso(t), **e} for e in decision.exits)
        first, first_config = seen[0]
        members = {h.index for h in tracks[0].state.members}
        common = (
            first
            if reference.scoring == first_config.scoring
            else contexts.at(t, members, reference.scoring)
        )
        for row, strategy in enumerate(baselines.values(), start=len(tracks)):
            target = strategy.targets(common)
            trading[row] = target is not None
            if target is not None:
                weights[row] = target
        held = [{h.index for h in track.state.members} for track in tracks]
        weights[len(named) :] = randoms.targets(common, held)  # each track's turnover null
        for schedule in schedules:
            entries, books = schedule.judging.entries, schedule.books
            column = ledger.column(entries[d])
            if d == 0:
                books.equity.append(ledger.values(books, column)[:, None])
            cost = schedule.params.cost_rate
            ledger.rebalance(books, column, weights[: books.size], trading[: books.size], cost)
            ledger.carry(books, column, ledger.column(entries[d + 1]))
        assert first_decision is not None
        for judged in judging.values():
            entry, following = judged.entries[d], judged.entries[d + 1]
            if following - entry >= params.every_h * HOUR_MS:  # a partial last period: no IC
                for ic, (ctx, _) in zip(judged.ics.values(), seen, strict=True):
                    ic.add(ctx, following, entry)
            judged.selection.add(common, [ctx for ctx, _ in seen], first_decision, following, entry)
        if progress is not None:
            progress(d + 1, len(times))
    main, *others = (s.finish([t.name for t in tracks], named, times) for s in schedules)
    return BookRun(
        main.strategies,
        main.ic_of[tracks[0].name],
        decisions,
        main.books,
        main.ic_of,
        exits,
        main.selection,
        main.ic_series,
        {schedule.name: run for schedule, run in zip(schedules[1:], others, strict=True)},
    )


def decision_entry(
    t_ms: int, decision: PolicyDecision, traded_ms: int | None = None
) -> DecisionEntry:
    """A decision as the report lists it: made at `at`, traded (or held) from `traded_at`."""
    return {
        "at": iso(t_ms),
        "traded_at": iso(t_ms if traded_ms is None else traded_ms),
        "members": decision.members,
        "weights": {s: float(w) for s, w in decision.weights.items()},
        "replaced": decision.replaced,
        "blocked": decision.blocked,
        "added": decision.added,
        "exits": decision.exits,
        "traded": decision.trade,
    }
