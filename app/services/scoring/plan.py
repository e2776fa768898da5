"""A scoring run's KuCoin weight, planned before stage 2 by endpoint and symbol.

Every run fetches books for the core (the shortlist, which holds the members and the benchmark,
plus the previous run's best outsiders: the replacement candidates); with rotation on, also a
slice of the rest of the eligible universe, oldest-scored first, sized so that each eligible
contract is scored at least once an hour at the scheduler's interval. Candles and funding are
fetched only where something new can exist (candles: a closed hour not yet stored; funding: a
settlement due after the last stored one).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Symbol
from app.db.repositories.candles import CandleRepository
from app.db.repositories.scoring import ScoringRepository
from app.exchange.client import KLINE_ROW_LIMIT, WEIGHTS
from app.exchange.gateway import KucoinGateway
from app.services.market.candles import last_closed_open_time
from app.services.market.funding import FundingStore
from app.services.system.runtime_settings import read_settings

HOUR = timedelta(hours=1)
NEVER = datetime.min


@dataclass
class FetchPlan:
    symbols: list[Symbol]
    """Core, then the rotation: the symbols this run fetches and scores."""
    rotation: list[str] = field(default_factory=list)
    weight: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    """Endpoint -> symbol -> planned weight (`contracts` under `*`: the one list call)."""
    free_weight: int | None = None
    """Weight the (shared) window had free when the run planned."""

    @property
    def total(self) -> int:
        return sum(sum(per.values()) for per in self.weight.values())

    def by_endpoint(self) -> dict[str, int]:
        return {endpoint: sum(per.values()) for endpoint, per in sorted(self.weight.items())}

    def to_json(self) -> dict[str, Any]:
        return {
            "weight": self.total,
            "weight_by_endpoint": self.by_endpoint(),
            "symbols": len(self.symbols),
            "rotation": self.rotation,
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
    last_scored: Mapping[int, datetime],
    latest_candles: Mapping[int, datetime],
    funding_due: Mapping[str, datetime],
    lookback: int,
    now: datetime,
) -> FetchPlan:
    """The run's symbols and their weight (books, candles, funding; the contract list)."""
    chosen: list[Symbol] = []
    if rotation:
        oldest_first = sorted(
            rest,
            key=lambda s: (
                last_scored.get(s.id, NEVER).replace(tzinfo=None),
                -(s.turnover_24h or 0),
            ),
        )
        chosen = oldest_first[: rotation_size(len(rest), interval_s)]
    plan = FetchPlan(list(core) + chosen, rotation=[s.symbol for s in chosen])
    plan.weight["contracts"]["*"] = WEIGHTS["contracts"]
    newest = last_closed_open_time(now, HOUR)
    for symbol in plan.symbols:
        plan.weight["depth"][symbol.symbol] = WEIGHTS["depth"]
        pages = kline_pages(latest_candles.get(symbol.id), newest, lookback)
        if pages:
            plan.weight["klines"][symbol.symbol] = pages * WEIGHTS["klines"]
        if symbol.symbol in funding_due:
            plan.weight["funding_history"][symbol.symbol] = WEIGHTS["funding_history"]
    return plan


def kline_pages(last: datetime | None, newest: datetime, lookback: int) -> int:
    """`kline/query` calls an incremental hourly refresh makes (as `CandleService` does)."""
    start = last + HOUR if last else newest - (lookback - 1) * HOUR
    if start > newest:
        return 0
    return math.ceil((int((newest - start) / HOUR) + 1) / KLINE_ROW_LIMIT)


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
        limit), and the funding fetch-from time of each planned symbol that has one due."""
        settings = await read_settings(
            self.session, ["scoring_rotation", "score_refresh_interval_s", "max_portfolio_symbols"]
        )
        core = list(shortlist)
        core_ids = {s.id for s in core}
        previous = await self.runs.latest_run(with_scores=True)
        if previous is not None:  # the replacement candidates: the previous run's best
            best = await self.runs.best_symbol_ids(
                previous.id, 2 * int(settings["max_portfolio_symbols"])
            )
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
            rotation=bool(settings["scoring_rotation"]),
            interval_s=float(settings["score_refresh_interval_s"]),
            last_scored=await self.runs.last_scored_at(now - 2 * HOUR),
            latest_candles=await CandleRepository(self.session).latest_open_times(ids, 60),
            funding_due=due,
            lookback=lookback,
            now=now,
        )
        plan.free_weight = await self.gateway.free_weight()
        planned = {s.symbol for s in plan.symbols}
        return plan, {symbol: at for symbol, at in due.items() if symbol in planned}
