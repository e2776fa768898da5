"""The dated membership: the portfolio's states (what each decision left held) tiled into
intervals over a range, one row per interval and member.

A state holds from its time until the next state's (or the range's end). A state that holds
exactly what the previous one held is no new interval, unless it `rebalanced` (the book traded
back to the same targets). The rows of each interval carry the reason of the decision that
opened it; an interval whose portfolio is empty has no rows.

Members travel in a compact text, "rank,weight,symbol;..." by rank (weight in percent, as
decimal text): a year of hourly states holds ~90 000 members, and text is compared, stored and
written without building an object for each.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

# The columns of a row of the dated membership, in order (JSON keys and the CSV header alike).
COLUMNS = (
    "from",
    "to",
    "symbol",
    "kucoin_symbol",
    "ccxt_symbol",
    "weight",
    "rank",
    "reason",
    "listed",
)


class Held(NamedTuple):
    symbol: str
    rank: int
    weight: str  # percent, as decimal text ("12.5000")


def compact(members: Iterable[Held]) -> str:
    """Members as "rank,weight,symbol;..." in rank order."""
    ordered = sorted(members, key=lambda h: h.rank)
    return ";".join(f"{h.rank},{h.weight},{h.symbol}" for h in ordered)


def held(members: str) -> Iterator[Held]:
    """The members of a compact text, by rank."""
    for item in members.split(";") if members else ():
        rank, weight, symbol = item.split(",", 2)
        yield Held(symbol, int(rank), weight)


@dataclass(frozen=True)
class State:
    at: datetime
    members: str  # compact, see `compact`
    reason: str
    rebalanced: bool = False  # a new interval even when holding the same


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime
    members: str  # compact
    reason: str


def tile(states: Iterable[State], start: datetime, end: datetime) -> list[Interval]:
    """The intervals over [start, end) of `states` (oldest first; one at or before `start`
    gives the state `start` opens in; states at the same time: the last one holds, their
    reasons are joined by "+")."""
    merged: list[State] = []
    for state in states:
        if state.at >= end:
            break
        if merged and merged[-1].at == state.at:  # one moment, several audit rows
            previous = merged.pop()
            reasons = dict.fromkeys((*previous.reason.split("+"), *state.reason.split("+")))
            state = State(state.at, state.members, "+".join(reasons), previous.rebalanced)
        merged.append(state)
    intervals: list[Interval] = []
    for k, state in enumerate(merged):
        opens = max(state.at, start)
        closes = merged[k + 1].at if k + 1 < len(merged) else end
        if closes <= opens:
            continue
        last = intervals[-1] if intervals else None
        if last is not None and last.members == state.members and not state.rebalanced:
            intervals[-1] = Interval(last.start, closes, last.members, last.reason)
            continue
        intervals.append(Interval(opens, min(closes, end), state.members, state.reason))
    return intervals
