"""The live policy as a replay strategy: at each decision the portfolio is updated by the same
pure rules the service decides with (exits that do not wait; replacement with hysteresis,
holding time and correlation; initial selection; weights within caps; the rebalance
threshold)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from app.books.simulation.decision_context import Context
from app.books.simulation.exit_facts import decide_exits
from app.books.simulation.market_history import MarketHistory
from app.books.simulation.replay_report import Exit, Swap
from app.books.simulation.returns import hourly_returns, recent_returns
from app.platform.core.units import HOUR_MS
from app.portfolio.maths.correlation import pairwise_correlation
from app.portfolio.maths.weighting import NEEDS_RETURNS, InfeasibleWeights, calculate_weights
from app.portfolio.policy.initial_selection import fill_vacancies
from app.portfolio.policy.ranks import by_score
from app.portfolio.policy.replacement_facts import (
    CorrelationTable,
    MemberFact,
    OutsiderFact,
    RunScores,
    confirmation_window,
)
from app.portfolio.policy.replacement_rule import outsiders_to_correlate, recommend
from app.portfolio.policy.settings import PolicyConfig
from app.portfolio.policy.weight_rules import (
    InsufficientReturns,
    effective_bounds,
    needs_rebalance,
    risk_inputs,
    to_percent,
)


@dataclass
class Holding:
    index: int  # symbol index in the history
    seat: int  # the book's own order, as live keeps it (PortfolioMember.seat)
    included_ms: int


@dataclass
class PolicyState:
    members: list[Holding] = field(default_factory=list)
    weights: dict[str, Decimal] = field(default_factory=dict)  # the applied targets, percent
    runs: list[RunScores] = field(default_factory=list)  # newest first
    outsider_facts: dict[int, OutsiderFact] = field(default_factory=dict)  # immutable, reused

    def next_run_id(self) -> int:
        """The id of the next scoring run this state sees (1, 2, ... from a fresh state)."""
        return self.runs[0].run_id + 1 if self.runs else 1


@dataclass(frozen=True)
class PolicyDecision:
    members: list[str]  # by rank (app.portfolio.policy.ranks)
    weights: dict[str, Decimal]  # percent, summing to 100 (empty without members)
    trade: bool  # the book moves to `weights` now (else holdings drift untouched)
    replaced: list[Swap]  # executed replacements with the reasons that allowed them
    blocked: list[Swap]  # candidates kept, with the reasons that blocked each
    added: list[str]  # initial selection / vacancies filled
    exits: list[Exit] = field(default_factory=list)  # members that left without waiting


def book_weights(decision: PolicyDecision, history: MarketHistory) -> np.ndarray:
    """The decision's targets as fractions over the history's symbols (zeros when it holds)."""
    weights = np.zeros(history.size)
    for symbol, pct in decision.weights.items() if decision.trade else ():
        weights[history.index_of(symbol)] = float(pct) / 100.0
    return weights


def step(ctx: Context, state: PolicyState, config: PolicyConfig, run_id: int) -> PolicyDecision:
    """Update `state` at `ctx.t_ms` and say what the book does."""
    symbols = ctx.view.history.symbols
    settings = config.replacement
    state.runs.insert(0, RunScores(run_id, ctx.composite, ctx.t_ms))
    # The runs through the hysteresis' boundary; older ones are never read again.
    del state.runs[
        confirmation_window(state.runs, settings.confirmation_hours) or len(state.runs) :
    ]
    exits = apply_exits(ctx, state, config)
    members = [
        MemberFact(h.index, symbols[h.index], h.seat, (ctx.t_ms - h.included_ms) / HOUR_MS)
        for h in state.members
    ]
    held = {h.index for h in state.members}
    facts = state.outsider_facts
    outsiders = [
        facts.get(i) or facts.setdefault(i, OutsiderFact(i, symbols[i]))
        for i in ctx.eligible
        if i not in held
    ]
    ranked = outsiders_to_correlate(outsiders, state.runs[0], settings)
    vacancies = max(config.max_symbols - len(state.members), 0)
    extra: list[OutsiderFact] = []
    if vacancies:
        correlated = {o.id for o in ranked}
        extra = sorted(
            (o for o in outsiders if o.id not in correlated),
            key=lambda o: (-ctx.composite[o.id], o.symbol),
        )[:vacancies]
    ids = [m.id for m in members] + [o.id for o in ranked + extra]
    corr = pairwise_correlation(recent_returns(ctx, ids, config.correlation_window_hours))
    table = CorrelationTable(ids, corr)

    replaced: list[Swap] = []
    blocked: list[Swap] = []
    for rec in recommend(members, outsiders, state.runs, table, settings, ranked):
        entry: Swap = {
            "member": rec.member,
            "outsider": rec.outsider,
            "lead": rec.lead,
            "reasons": rec.reasons,
            "blocking": rec.blocking,
        }
        if not rec.actionable:
            blocked.append(entry)
            continue
        leaving = next(h for h in state.members if symbols[h.index] == rec.member)
        joining = next(o.id for o in outsiders if o.symbol == rec.outsider)
        leaving.index, leaving.included_ms = joining, ctx.t_ms  # the newcomer takes its seat
        replaced.append(entry)

    held = {h.index for h in state.members}
    added: list[int] = []
    if len(state.members) < config.max_symbols:  # else fill_vacancies has no place to fill
        best_first = sorted(
            (o.id for o in outsiders if o.id not in held),
            key=lambda i: (-ctx.composite[i], symbols[i]),
        )
        added = fill_vacancies(
            [h.index for h in state.members],
            [i for i in best_first if i in table.ids],
            table,
            places=config.max_symbols,
            correlation_limit=settings.correlation_limit,
        )
    for i in added:
        state.members.append(Holding(i, len(state.members) + 1, ctx.t_ms))

    targets = target_weights(ctx, state, config)
    changed = bool(exits or replaced or added)
    trade = changed or needs_rebalance(state.weights, targets, config.rebalance_threshold_pct)
    if trade:
        state.weights = targets
    ranks = by_score({h.index: h.seat for h in state.members}, ctx.composite)
    return PolicyDecision(
        members=[symbols[i] for i in sorted(ranks, key=ranks.__getitem__)],
        weights=dict(state.weights),
        trade=trade,
        replaced=replaced,
        blocked=blocked,
        added=[symbols[i] for i in added],
        exits=exits,
    )


def apply_exits(ctx: Context, state: PolicyState, config: PolicyConfig) -> list[Exit]:
    """The exits due at `ctx.t_ms` (`decide_exits`), applied before the hysteresis: a newcomer
    takes the leaving member's seat, as a replacement does; a member no outsider may replace is
    dropped and the seats after it close up (the vacancy is filled as any other)."""
    by_seat = sorted(state.members, key=lambda h: h.seat)
    exits = decide_exits(ctx, [h.index for h in by_seat], config)
    if not exits:
        return []
    holding = {h.index: h for h in by_seat}
    for e in exits:
        if e.outsider_id is None:
            state.members.remove(holding[e.member_id])
        else:
            holding[e.member_id].index = e.outsider_id
            holding[e.member_id].included_ms = ctx.t_ms
    state.members.sort(key=lambda h: h.seat)
    for seat, h in enumerate(state.members, start=1):
        h.seat = seat
    return [{"member": e.member, "outsider": e.outsider, "reason": e.reason} for e in exits]


def target_weights(ctx: Context, state: PolicyState, config: PolicyConfig) -> dict[str, Decimal]:
    """The configured method's weights of the members within the caps n members can meet;
    equal weights when the method cannot be computed at t (too little common history, caps
    that cannot hold): live answers such a request with a 409 and changes nothing, a replay
    must hold something."""
    if not state.members:
        return {}
    symbols = ctx.view.history.symbols
    rows = [h.index for h in state.members]
    low, high, _ = effective_bounds(len(rows), config.min_weight, config.max_weight)
    method = config.weighting_method
    volatilities = covariance = None
    try:
        if method in NEEDS_RETURNS:
            returns = hourly_returns(ctx.view, rows, config.weights_lookback_hours)
            volatilities, covariance = risk_inputs(returns)
        raw = calculate_weights(
            method,
            scores=np.array([ctx.composite.get(i, 0.0) for i in rows]),
            volatilities=volatilities,
            covariance=covariance,
            min_weight=low,
            max_weight=high,
        )
    except (InsufficientReturns, InfeasibleWeights):
        raw = np.full(len(rows), 100.0 / len(rows))
    upper = np.full(len(rows), high)
    return dict(zip([symbols[i] for i in rows], to_percent(raw, upper), strict=True))
