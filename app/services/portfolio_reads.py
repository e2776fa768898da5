"""Reading the portfolio: now (with scores, prices and their age) or as of a past time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import PortfolioHistory
from app.db.repositories.portfolio import MemberRow, PortfolioRepository
from app.db.types import utcnow
from app.services.portfolio_config import load_portfolio_config
from app.services.portfolio_market import latest_scores
from app.services.prices import PriceCache


@dataclass(frozen=True)
class MemberView:
    rank: int
    score_rank: int | None  # 1 = best composite among the members
    symbol: str
    kucoin_symbol: str
    weight: Decimal
    composite: float | None
    included_at: datetime
    entry_price: Decimal | None
    current_price: float | None
    price_source: str | None  # "websocket" | "rest" | "stored_mark"
    performance_pct: float | None  # price change since inclusion
    is_replacement_candidate: bool
    data_age_s: float | None
    stale: bool


@dataclass(frozen=True)
class PortfolioView:
    as_of: datetime
    members: list[MemberView]
    max_symbols: int
    total_weight: Decimal
    score_run_id: int | None
    score_age_s: float | None
    stale: bool
    reconstructed: bool = False  # True: read from the audit trail (`as_of` in the past)


class PortfolioReader:
    def __init__(self, session: AsyncSession, prices: PriceCache) -> None:
        self.session = session
        self.prices = prices
        self.portfolio = PortfolioRepository(session)

    async def current(self) -> PortfolioView:
        now = utcnow()
        config = await load_portfolio_config(self.session)
        rows = await self.portfolio.active()
        scores = await latest_scores(self.session, [r.symbol.id for r in rows])
        ordered = sorted(
            (r for r in rows if r.symbol.id in scores.composite),
            key=lambda r: (-scores.composite[r.symbol.id], r.symbol.symbol),
        )
        score_rank = {r.symbol.id: i for i, r in enumerate(ordered, start=1)}
        # Replacement candidates: the weakest members by latest composite, unscored ones first
        # (the same rule as evaluate_portfolio_replacement).
        unscored = [r.symbol.id for r in rows if r.symbol.id not in score_rank]
        weakest = set(
            (unscored + [r.symbol.id for r in reversed(ordered)])[: config.replacement_candidates]
        )
        limit = config.stale_data_limit_s
        members = [
            self._member(
                r, scores.composite.get(r.symbol.id), score_rank.get(r.symbol.id), now, limit,
                candidate=r.symbol.id in weakest,
            )
            for r in rows
        ]  # fmt: skip
        score_age = scores.age_s(now)
        return PortfolioView(
            as_of=now,
            members=members,
            max_symbols=config.max_symbols,
            total_weight=sum((m.weight for m in members), Decimal(0)),
            score_run_id=scores.run.id if scores.run else None,
            score_age_s=None if score_age is None else round(score_age, 3),
            stale=any(m.stale for m in members) or (score_age is not None and score_age > limit),
        )

    async def as_of(self, moment: datetime) -> PortfolioView:
        """The membership recorded by the last audit row at or before `moment`."""
        config = await load_portfolio_config(self.session)
        entry = await self.portfolio.last_entry_at(moment)
        members = [] if entry is None else [_from_snapshot(m) for m in entry.details["portfolio"]]
        return PortfolioView(
            as_of=moment,
            members=members,
            max_symbols=config.max_symbols,
            total_weight=sum((m.weight for m in members), Decimal(0)),
            score_run_id=None,
            score_age_s=None,
            stale=False,
            reconstructed=True,
        )

    async def history(
        self, *, since: datetime | None, symbol: str | None, limit: int
    ) -> list[PortfolioHistory]:
        return list(await self.portfolio.history(since=since, symbol=symbol, limit=limit))

    def _member(
        self, r: MemberRow, composite: float | None, score_rank: int | None, now: datetime,
        stale_limit_s: float, *, candidate: bool,
    ) -> MemberView:  # fmt: skip
        price, source, age = self._price(r, now)
        performance = None
        if price is not None and r.member.entry_price:
            performance = round((price / float(r.member.entry_price) - 1.0) * 100.0, 6)
        return MemberView(
            rank=r.member.rank,
            score_rank=score_rank,
            symbol=r.symbol.symbol,
            kucoin_symbol=r.symbol.kucoin_symbol,
            weight=r.member.weight,
            composite=composite,
            included_at=r.member.included_at,
            entry_price=r.member.entry_price,
            current_price=price,
            price_source=source,
            performance_pct=performance,
            is_replacement_candidate=candidate,
            data_age_s=None if age is None else round(age, 3),
            stale=age is None or age > stale_limit_s,
        )

    def _price(self, r: MemberRow, now: datetime) -> tuple[float | None, str | None, float | None]:
        """The streamed price when the cache has one, else the last synced mark price."""
        cached = self.prices.peek(r.symbol.symbol)
        if cached is not None and not cached.stale:
            return cached.mid, cached.source, cached.age_s(now)
        if r.symbol.mark_price is None or r.symbol.market_data_at is None:
            return None, None, None
        age = (now - r.symbol.market_data_at).total_seconds()
        return r.symbol.mark_price, "stored_mark", age


def _from_snapshot(item: dict[str, object]) -> MemberView:
    return MemberView(
        rank=int(str(item["rank"])),
        score_rank=None,
        symbol=str(item["symbol"]),
        kucoin_symbol=str(item["kucoin_symbol"]),
        weight=Decimal(str(item["weight"])),
        composite=None,
        included_at=datetime.fromisoformat(str(item["included_at"])),
        entry_price=None if item["entry_price"] is None else Decimal(str(item["entry_price"])),
        current_price=None,
        price_source=None,
        performance_pct=None,
        is_replacement_candidate=False,
        data_age_s=None,
        stale=False,
    )
