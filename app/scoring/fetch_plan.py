"""A scoring run's KuCoin weight, planned before stage 2 by endpoint and symbol.

Every run fetches what scores its core fresh: the contract list, a book for each core symbol
(the shortlist, which holds the members and the benchmark, plus the previous run's best
outsiders: the replacement candidates), the core's candles when a closed hour is missing, and
the funding of a contract with no settlement stored. The rest is bought only while the whole
plan, core included, stays within the run's `scoring_weight_budget`, in this order:

1. the core's funding settlements new since the last stored one, oldest first;
2. with rotation on, a slice of the rest of the eligible universe, oldest-scored first, each
   with its book and missing candles: a paced share of the rest each run, more when some would
   otherwise pass the hour unscored before the next run, and before a run that opens a new hour
   (it pays for the core's new candles) what that run will have no room for;
3. a rotated contract's new settlements, once its newest stored one is a day old.

A settlement can wait a run or two: they come 1-8 h apart, and the current rate comes with the
contract list each run. Candles and funding are fetched only where something new can exist
(candles: a closed hour not yet stored; funding: a settlement due after the last stored one).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.kucoin.client import KLINE_ROW_LIMIT, WEIGHTS
from app.kucoin.gateway import KucoinGateway
from app.market.candles import last_closed_open_time
from app.market.funding import FUNDING_LOOKBACK, FundingStore
from app.market.models import Symbol
from app.market.repository.candles import CandleRepository
from app.platform.core.units import HOUR, HOUR_MIN
from app.platform.settings_store.reader import read_typed
from app.scoring.repository import ScoringRepository
from app.scoring.settings import PlanSettings

NEVER = datetime.min
BOOK = "book_snapshot"  # the endpoint the run reads books from (`KucoinGateway.get_book_top`)
HOURLY = WEIGHTS[BOOK] + WEIGHTS["klines"]  # a contract scored hourly: its book, one candle page
OUTSIDER_FUNDING_REFRESH = timedelta(hours=24)
"""How old a rotated contract's newest stored settlement may grow: its 14-day funding statistics
hardly move in a day, and the budget cannot pay every settlement of every contract."""


@dataclass
class FetchPlan:
    symbols: list[Symbol]
    """Core, then the rotation: the symbols this run fetches and scores."""
    rotation: list[str] = field(default_factory=list)
    weight: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    """Endpoint -> symbol -> planned weight (`contracts` under `*`: the one list call)."""
    budget: int | None = None
    """`scoring_weight_budget` when the run planned: what the whole plan may weigh, except that
    the core is always paid whole."""
    deferred_funding: list[str] = field(default_factory=list)
    """Symbols with a settlement due that the budget left to a later run."""
    rotation_behind: int = 0
    """Contracts of the rest due for their hourly score that the budget left out."""
    free_weight: int | None = None
    """Weight the (shared) window had free when the run planned."""

    @property
    def total(self) -> int:
        return sum(sum(per.values()) for per in self.weight.values())

    def by_endpoint(self) -> dict[str, int]:
        return {endpoint: sum(per.values()) for endpoint, per in sorted(self.weight.items()) if per}

    def to_json(self) -> dict[str, Any]:
        return {
            "weight": self.total,
            "weight_by_endpoint": self.by_endpoint(),
            "budget": self.budget,
            "symbols": len(self.symbols),
            "rotation": self.rotation,
            "rotation_behind": self.rotation_behind,
            "deferred_funding": self.deferred_funding,
            "free_weight": self.free_weight,
            "weight_by_symbol": _by_symbol(self.weight),
        }


def rotation_size(rest: int, interval_s: float) -> int:
    """How many of the rest one run takes so each is scored within the hour."""
    if rest <= 0:
        return 0
    return min(rest, math.ceil(rest * max(interval_s, 1.0) / HOUR.total_seconds()))


def plan_fetches(
    core: Sequence[Symbol],
    rest: Sequence[Symbol],
    *,
    rotation: bool,
    interval_s: float,
    budget: int,
    last_scored: Mapping[int, datetime],
    latest_candles: Mapping[int, datetime],
    funding_due: Mapping[str, datetime],
    lookback: int,
    now: datetime,
) -> FetchPlan:
    """The run's symbols and their weight (books, candles, funding; the contract list)."""
    plan = FetchPlan(list(core), budget=budget)
    newest = last_closed_open_time(now, HOUR)

    def symbol_weight(symbol: Symbol) -> dict[str, int]:
        """A symbol's book, its missing candles, and its funding when none is stored."""
        out = {BOOK: WEIGHTS[BOOK]}
        pages = kline_pages(latest_candles.get(symbol.id), newest, lookback)
        if pages:
            out["klines"] = pages * WEIGHTS["klines"]
        start = funding_due.get(symbol.symbol)
        if start is not None and not _has_history(start, now):
            out["funding_history"] = WEIGHTS["funding_history"]
        return out

    def add(symbol: Symbol, weights: Mapping[str, int]) -> None:
        for endpoint, weight in weights.items():
            plan.weight[endpoint][symbol.symbol] = weight

    plan.weight["contracts"]["*"] = WEIGHTS["contracts"]
    for symbol in core:
        add(symbol, symbol_weight(symbol))
    _add_new_funding(plan, core, funding_due, budget)
    if rotation:
        rotation_plan = Rotation(rest, last_scored, interval_s, now)
        chosen, due = rotation_plan.choose(
            budget - plan.total, symbol_weight, _next_room(budget, len(core), interval_s, now)
        )
        for symbol in chosen:
            add(symbol, symbol_weight(symbol))
        plan.symbols += chosen
        plan.rotation = [s.symbol for s in chosen]
        plan.rotation_behind = due - len(chosen)
        a_day_old = {
            s.symbol: at
            for s in chosen
            if (at := funding_due.get(s.symbol)) is not None and at < now - OUTSIDER_FUNDING_REFRESH
        }
        _add_new_funding(plan, chosen, a_day_old, budget)
    return plan


def _next_room(budget: int, core: int, interval_s: float, now: datetime) -> int | None:
    """Contracts of the rest the next run can score when it opens a new hour (it also pays
    for the core's new candles); None when it does not."""
    later = now + timedelta(seconds=interval_s)
    if last_closed_open_time(later, HOUR) == last_closed_open_time(now, HOUR):
        return None
    return max(budget - WEIGHTS["contracts"] - core * HOURLY, 0) // HOURLY


@dataclass
class Rotation:
    """The rest of the eligible universe, oldest-scored first (most traded first among equals),
    and how many of it one run takes so that each is scored within the hour."""

    rest: Sequence[Symbol]
    last_scored: Mapping[int, datetime]
    interval_s: float
    now: datetime

    def choose(
        self,
        room: int,
        symbol_weight: Callable[[Symbol], dict[str, int]],
        next_room: int | None,
    ) -> tuple[list[Symbol], int]:
        """The due ones, oldest first, while `room` lasts, and how many were due. Due: a paced
        share of the rest, or all that would pass the hour unscored before the next run, and
        when the next run opens a new hour (`next_room`: what it can take), as many of those
        going stale by the run after it as it cannot take."""
        interval = timedelta(seconds=self.interval_s)
        going = self._going_stale(interval)
        if next_room is not None:
            going += max(self._going_stale(2 * interval) - going - next_room, 0)
        due = max(rotation_size(len(self.rest), self.interval_s), going)
        oldest_first = sorted(
            self.rest,
            key=lambda s: (
                self.last_scored.get(s.id, NEVER).replace(tzinfo=None),
                -(s.turnover_24h or 0),
            ),
        )
        chosen: list[Symbol] = []
        for symbol in oldest_first[:due]:
            cost = sum(symbol_weight(symbol).values())
            if cost > room:
                break
            chosen.append(symbol)
            room -= cost
        return chosen, due

    def _going_stale(self, ahead: timedelta) -> int:
        """Contracts scored before that would pass the hour unscored `ahead` from now (one
        scored exactly an hour before then is not: on a 15-minute schedule, every 4th run)."""
        by = (self.now + ahead - HOUR).replace(tzinfo=None)
        return sum(
            1
            for s in self.rest
            if s.id in self.last_scored and self.last_scored[s.id].replace(tzinfo=None) < by
        )


def _add_new_funding(
    plan: FetchPlan,
    symbols: Sequence[Symbol],
    funding_due: Mapping[str, datetime],
    budget: int,
) -> None:
    """The settlements of `symbols` new since their last stored one, oldest first, while the
    plan stays within the budget; the others are recorded as deferred."""
    planned = plan.weight.get("funding_history", {})
    wanted = sorted(
        (funding_due[s.symbol], s.symbol)
        for s in symbols
        if s.symbol in funding_due and s.symbol not in planned
    )
    spent = plan.total
    for _, name in wanted:
        if spent + WEIGHTS["funding_history"] <= budget:
            plan.weight["funding_history"][name] = WEIGHTS["funding_history"]
            spent += WEIGHTS["funding_history"]
        else:
            plan.deferred_funding.append(name)


def kline_pages(last: datetime | None, newest: datetime, lookback: int) -> int:
    """`kline/query` calls an incremental hourly refresh makes (as `CandleService` does)."""
    start = last + HOUR if last else newest - (lookback - 1) * HOUR
    if start > newest:
        return 0
    return math.ceil((int((newest - start) / HOUR) + 1) / KLINE_ROW_LIMIT)


def _has_history(fetch_from: datetime, now: datetime) -> bool:
    """A funding fetch from after the last stored settlement (not the whole lookback)."""
    return fetch_from > now - FUNDING_LOOKBACK


def _by_symbol(weight: Mapping[str, Mapping[str, int]]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for per in weight.values():
        for symbol, value in per.items():
            out[symbol] += value
    return dict(sorted(out.items()))


class FetchPlanner:
    """Reads what the plan depends on (stored candles, funding, recent scores, settings)."""

    def __init__(self, session: AsyncSession, gateway: KucoinGateway) -> None:
        self.session = session
        self.gateway = gateway
        self.runs = ScoringRepository(session)

    async def plan(
        self,
        shortlist: Sequence[Symbol],
        acceptable: Sequence[Symbol],
        *,
        lookback: int,
        now: datetime,
    ) -> tuple[FetchPlan, dict[str, datetime]]:
        """The plan over the shortlist and the rest of `acceptable` (stage 1 without its size
        limit), and the fetch-from time of each funding fetch the plan holds."""
        settings = await read_typed(self.session, PlanSettings)
        core = list(shortlist)
        core_ids = {s.id for s in core}
        previous = await self.runs.latest_run(with_scores=True)
        if previous is not None:  # the replacement candidates: the previous run's best
            best = await self.runs.best_symbol_ids(previous.id, 2 * settings.max_portfolio_symbols)
            by_id = {s.id: s for s in acceptable}
            core += [by_id[i] for i in best if i in by_id and i not in core_ids]
            core_ids = {s.id for s in core}
        rest = [s for s in acceptable if s.id not in core_ids]
        everyone = core + rest
        ids = [s.id for s in everyone]
        due = await FundingStore(self.session).due(everyone, now)
        plan = plan_fetches(
            core,
            rest,
            rotation=settings.rotation,
            interval_s=settings.interval_s,
            budget=settings.weight_budget,
            last_scored=await self.runs.last_scored_at(now - 2 * HOUR),
            latest_candles=await CandleRepository(self.session).latest_open_times(ids, HOUR_MIN),
            funding_due=due,
            lookback=lookback,
            now=now,
        )
        plan.free_weight = await self.gateway.free_weight()
        planned = plan.weight.get("funding_history", {})
        return plan, {symbol: at for symbol, at in due.items() if symbol in planned}
