"""The exit rule (`app.portfolio.policy.exit_rule`) at one replay decision: each member's facts
as known at t, and the exits due with their newcomers.

History holds no contract status: a contract in it is always Open and listed, and only its
candles can stop, so the exits a replay can see are `exit:stale` (a delisted contract's candles
end, and its last close ages past the grace) and `exit:category` (a member whose closes, as known
at t, now hold the stablecoin peg).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from app.books.simulation.decision_context import Context
from app.books.simulation.returns import correlation_table
from app.platform.core.units import HOUR_MS
from app.portfolio.policy.exit_rule import (
    Exit,
    ExitFact,
    choose_replacements,
    due_exits,
    exit_outsiders,
)
from app.portfolio.policy.replacement_facts import OutsiderFact
from app.portfolio.policy.settings import PolicyConfig

UNSCORED = "UNSCORED"  # a member outside the scored rows (never expected: members are shortlisted)


def exit_facts(ctx: Context, members: Sequence[int]) -> list[ExitFact]:
    """What history tells of each member (symbol indices, in rank order) at `ctx.t_ms`: the
    gate's reason and its last candle's age."""
    symbols = ctx.view.history.symbols
    last_close = ctx.view.last_candle_close_ms()[list(members)].tolist()
    facts = []
    for i, close_ms in zip(members, last_close, strict=True):
        row = ctx.positions.get(i)
        reason = UNSCORED if row is None else ctx.table.reasons[row]
        age = math.inf if math.isnan(close_ms) else (ctx.t_ms - close_ms) / HOUR_MS
        facts.append(ExitFact(i, symbols[i], reason, age))
    return facts


def decide_exits(ctx: Context, members: Sequence[int], config: PolicyConfig) -> list[Exit]:
    """The members (symbol indices, in rank order) that must leave at `ctx.t_ms`, each with the
    eligible outsider taking its rank, or None when none passes the correlation limit."""
    due = due_exits(exit_facts(ctx, members), config.exit_grace_hours)
    if not due:
        return []
    leaving = {d.member.id for d in due}
    remaining = [i for i in members if i not in leaving]
    symbols = ctx.view.history.symbols
    held = set(members)
    outsiders = [OutsiderFact(i, symbols[i]) for i in ctx.eligible if i not in held]
    ranked = exit_outsiders(outsiders, ctx.composite, len(due))
    ids = remaining + [o.id for o in ranked]
    table = correlation_table(ctx, ids, config.correlation_window_hours)
    return choose_replacements(due, remaining, ranked, table, config.replacement.correlation_limit)
