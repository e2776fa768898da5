"""Exits that do not wait: a member whose contract will not come back by itself leaves at the next
decision, replaced by the best eligible outsider the correlation limit allows, without the
replacement hysteresis (margin, confirmations, holding time).

A member must exit when its contract is gone from KuCoin's list (`exit:delisted`), is neither
Open nor Paused, or Paused beyond the grace (`exit:not_open`), has a delivery or expiry date
(`exit:expiring`), is of a category the runtime setting `excluded_categories` excludes (its gate
code `excluded:category:<name>`: `exit:category`), or, while the gate excludes it, its last
candle is older than the grace (`exit:stale`). Whatever else the gate excludes it for (gaps, no
volume, an extreme move, a ticker or a pause within the grace) may heal: the member stays and
the hysteresis judges it.

The same functions decide live (facts read from the database) and in a replay (facts read from
the history at t, where a contract is always Open and listed and only its candles can stop).
A caller: `due_exits(facts, grace)`; when any, `exit_outsiders(...)`, a correlation table over
the remaining members and those outsiders, then `choose_replacements(...)`.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.market.contracts.categories import EXCLUDED_PREFIX
from app.portfolio.policy.initial_selection import fill_vacancies
from app.portfolio.policy.replacement_facts import CorrelationTable, OutsiderFact
from app.portfolio.policy.replacement_rule import OUTSIDERS_TRIED

OPEN, PAUSED = "Open", "Paused"  # KuCoin contract statuses
GONE = "Delisted"  # the service's status of a contract KuCoin no longer lists
DELISTED = "exit:delisted"
NOT_OPEN = "exit:not_open"
EXPIRING = "exit:expiring"
CATEGORY = "exit:category"
STALE = "exit:stale"
EXIT_REASONS = (DELISTED, NOT_OPEN, EXPIRING, CATEGORY, STALE)  # the order they are judged in


@dataclass(frozen=True)
class ExitFact:
    """What is known of one member at decision time."""

    id: int
    symbol: str
    gate_reason: str | None  # the latest run's gate reason; None: scored (left out: any code)
    candle_age_hours: float  # since its last candle's close (math.inf without any)
    status: str = OPEN  # KuCoin's contract status (GONE: no longer listed)
    listed: bool = True  # still in KuCoin's contract list
    expiring: bool = False  # a delivery or expiry date is set
    paused_hours: float = 0.0  # how long the contract has been Paused (0 when it is not)


@dataclass(frozen=True)
class DueExit:
    member: ExitFact
    reason: str  # one of EXIT_REASONS


@dataclass(frozen=True)
class Exit:
    """A member leaving now, and the outsider taking its rank (None: it is dropped)."""

    member_id: int
    member: str
    reason: str
    outsider_id: int | None
    outsider: str | None


def exit_reason(fact: ExitFact, grace_hours: float) -> str | None:
    """Why the member must leave now, or None when it stays."""
    if not fact.listed or fact.status == GONE:
        return DELISTED
    if fact.status != OPEN and (fact.status != PAUSED or fact.paused_hours > grace_hours):
        return NOT_OPEN
    if fact.expiring:
        return EXPIRING
    if fact.gate_reason is not None and fact.gate_reason.startswith(EXCLUDED_PREFIX):
        return CATEGORY  # a decision about what the contract is: it does not heal
    # Only while the gate excludes it: a scored member had fresh market data, so an old candle
    # is the service's own lag (a candle sync behind), not a market that stopped.
    if fact.gate_reason is not None and fact.candle_age_hours > grace_hours:
        return STALE
    return None


def due_exits(members: Sequence[ExitFact], grace_hours: float) -> list[DueExit]:
    """The members that must leave now, in the order given (the portfolio's rank order)."""
    due = []
    for fact in members:
        reason = exit_reason(fact, grace_hours)
        if reason is not None:
            due.append(DueExit(fact, reason))
    return due


def exit_outsiders(
    outsiders: Sequence[OutsiderFact], composite: Mapping[int, float], exits: int
) -> list[OutsiderFact]:
    """The scored outsiders `exits` due exits may choose from, best first (composite, then
    symbol): the correlation table must cover these and the remaining members."""
    if exits <= 0:
        return []
    scored = [o for o in outsiders if o.id in composite]
    return heapq.nsmallest(
        OUTSIDERS_TRIED + exits, scored, key=lambda o: (-composite[o.id], o.symbol)
    )


def choose_replacements(
    due: Sequence[DueExit],
    remaining: Sequence[int],
    outsiders: Sequence[OutsiderFact],
    correlation: CorrelationTable,
    correlation_limit: float,
) -> list[Exit]:
    """Each due exit with its newcomer: the best `outsiders` (best first) in turn that correlate
    below the limit with the `remaining` members (ids; those not leaving) and the newcomers
    before them, as `fill_vacancies` fills places; the first exit gets the best. An exit no
    outsider qualifies for is a drop."""
    by_id = {o.id: o for o in outsiders}
    chosen = fill_vacancies(
        remaining,
        [o.id for o in outsiders],
        correlation,
        places=len(remaining) + len(due),
        correlation_limit=correlation_limit,
    )
    newcomers: list[OutsiderFact | None] = [by_id[i] for i in chosen]
    newcomers += [None] * (len(due) - len(newcomers))
    return [
        Exit(
            d.member.id,
            d.member.symbol,
            d.reason,
            None if o is None else o.id,
            None if o is None else o.symbol,
        )
        for d, o in zip(due, newcomers, strict=True)
    ]
