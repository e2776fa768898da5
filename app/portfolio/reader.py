"""Reading the portfolio: now (with scores, prices and their age) or as of a past time, and the
hot reads' service (`PortfolioReadService`: the portfolio, freqtrade's pairlist).

The current portfolio is built from lean Core queries into a `PortfolioFacts` snapshot, which the
read cache (see `PortfolioReadCache`) reuses until a committed change says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

from app.market.forms import SymbolForms, forms_of, stored_forms, unsynced_forms
from app.market.prices import PriceCache
from app.market.repository.symbols import SymbolRepository
from app.platform.core.clock import utcnow
from app.platform.core.ticks import decimal_on_tick, on_tick
from app.platform.settings_store.reader import read_setting
from app.portfolio.policy.ranks import by_score
from app.portfolio.policy.replacement_rule import replacement_candidates
from app.portfolio.repository import MemberFacts, PortfolioRepository
from app.portfolio.schemas.members import MemberRead, PortfolioRead
from app.portfolio.schemas.pairlist import Pairlist
from app.portfolio.settings import load_portfolio_config
from app.scoring.settings import SCORE_REFRESH_INTERVAL_S

# Serialises the answer as built (`model_construct`: no validation on the hot path).
PORTFOLIO_JSON = TypeAdapter(PortfolioRead)


@dataclass(frozen=True)
class PortfolioFacts:
    """Everything of the current portfolio that only a committed write can change."""

    members: list[MemberFacts]
    composite: dict[int, float]  # symbol id -> latest composite
    rank: dict[int, int]  # symbol id -> rank by that composite
    candidates: frozenset[int]  # symbol ids of the replacement candidates
    min_holding: timedelta  # a member is held this long before it may be replaced
    max_symbols: int
    stale_limit_s: float
    score_run_id: int | None
    score_started_at: datetime | None
    weights_as_of: datetime | None  # the newest audit row's time: the weights' last change


class PortfolioReadCache:
    """The last snapshot of this process (replicas each keep theirs), trusted in one of two ways.

    Listening (PostgreSQL): every committed change notifies, bumping `generation`; a snapshot is
    served while the generation it was read at is current, with no database round trip.
    Otherwise (SQLite, or the listener is down): a snapshot is served while one version query
    answers what it answered when the snapshot was read.
    """

    def __init__(self) -> None:
        self.generation = 0
        self.listening = False
        self._facts: PortfolioFacts | None = None
        self._facts_generation = -1
        self._version: tuple[Any, ...] | None = None

    def invalidate(self) -> None:
        self.generation += 1

    def set_listening(self, listening: bool) -> None:
        self.listening = listening
        self.invalidate()

    def get(self, version: tuple[Any, ...]) -> PortfolioFacts | None:
        return self._facts if self._version is not None and version == self._version else None

    def put(self, version: tuple[Any, ...], facts: PortfolioFacts) -> None:
        self._facts, self._version, self._facts_generation = facts, version, -1

    def get_listened(self) -> PortfolioFacts | None:
        current = self.listening and self._facts_generation == self.generation
        return self._facts if current else None

    def put_listened(self, generation: int, facts: PortfolioFacts) -> None:
        self._facts, self._version, self._facts_generation = facts, None, generation


class PortfolioReader:
    """Reads the portfolio now (through the read cache) or as the audit trail recorded it."""

    def __init__(
        self, session: AsyncSession, prices: PriceCache, cache: PortfolioReadCache | None = None
    ) -> None:
        self.session = session
        self.prices = prices
        self.cache = cache
        self.portfolio = PortfolioRepository(session)

    async def current(self, *, use_cache: bool = True) -> PortfolioRead:
        """The portfolio now. Inside a write's transaction pass `use_cache=False`: that state is
        not committed yet and must not be cached."""
        facts = await self._facts() if use_cache else await self._read_facts()
        return render(facts, self.prices)

    async def as_of(self, moment: datetime) -> PortfolioRead:
        """The membership recorded by the last audit row at or before `moment`."""
        config = await load_portfolio_config(self.session)
        entry = await self.portfolio.last_entry_at(moment)
        held = [] if entry is None else entry.details["portfolio"]
        symbols = [str(m["symbol"]) for m in held]
        forms = await stored_forms(self.session, symbols)
        ticks = await SymbolRepository(self.session).tick_sizes(symbols)
        members = [_from_snapshot(m, forms, ticks) for m in held]
        return PortfolioRead.model_construct(
            as_of=moment,
            members=members,
            max_symbols=config.policy.max_symbols,
            total_weight=sum((m.weight for m in members), Decimal(0)),
            score_run_id=None,
            score_age_s=None,
            stale=False,
            weights_as_of=None if entry is None else entry.occurred_at,
            reconstructed=True,
        )

    async def _facts(self) -> PortfolioFacts:
        if self.cache is None:
            return await self._read_facts()
        if self.cache.listening:
            generation = self.cache.generation  # taken before reading: a change meanwhile wins
            listened = self.cache.get_listened()
            if listened is None:
                listened = await self._read_facts()
                self.cache.put_listened(generation, listened)
            return listened
        version = await self.portfolio.read_version()
        facts = self.cache.get(version)
        if facts is None:
            facts = await self._read_facts()
            self.cache.put(version, facts)
        return facts

    async def _read_facts(self) -> PortfolioFacts:
        config = await load_portfolio_config(self.session)
        members, run_id, started_at, composite, weights_at = await self.portfolio.member_facts()
        rank = by_score({m.symbol_id: m.seat for m in members}, composite)
        weakest = replacement_candidates(
            {m.symbol_id: m.seat for m in members}, composite, config.policy.replacement.candidates
        )
        return PortfolioFacts(
            members=members,
            composite=composite,
            rank=rank,
            candidates=frozenset(weakest),
            min_holding=timedelta(hours=config.policy.replacement.min_holding_hours),
            max_symbols=config.policy.max_symbols,
            stale_limit_s=config.stale_data_limit_s,
            score_run_id=run_id,
            score_started_at=started_at,
            weights_as_of=weights_at,
        )


def render(facts: PortfolioFacts, prices: PriceCache) -> PortfolioRead:
    """The view of a snapshot at this moment: prices, performance and data ages now."""
    now = utcnow()
    members = sorted((_member(m, facts, prices, now) for m in facts.members), key=lambda m: m.rank)
    score_age = None
    if facts.score_started_at is not None:
        score_age = (now - facts.score_started_at).total_seconds()
    stale = any(m.stale for m in members) or (
        score_age is not None and score_age > facts.stale_limit_s
    )
    return PortfolioRead.model_construct(
        as_of=now,
        members=members,
        max_symbols=facts.max_symbols,
        total_weight=sum((m.weight for m in members), Decimal(0)),
        score_run_id=facts.score_run_id,
        score_age_s=None if score_age is None else round(score_age, 3),
        stale=stale,
        weights_as_of=facts.weights_as_of,
        reconstructed=False,
    )


def _member(m: MemberFacts, facts: PortfolioFacts, prices: PriceCache, now: datetime) -> MemberRead:
    price, source, age = _price(m, prices, now)
    if price is not None:  # a mid, or a mark on the index's finer step: on the contract's tick
        price = on_tick(price, m.tick_size)
    entry = None if m.entry_price is None else decimal_on_tick(m.entry_price, m.tick_size)
    performance = None
    if price is not None and entry:
        performance = round((price / float(entry) - 1.0) * 100.0, 6)
    forms = forms_of(m.symbol, m.kucoin_symbol, m.ccxt_symbol, m.status)
    return MemberRead.model_construct(
        rank=facts.rank[m.symbol_id],
        symbol=m.symbol,
        kucoin_symbol=forms.kucoin,
        ccxt_symbol=forms.ccxt,
        listed=forms.listed,
        weight=m.weight,
        composite=facts.composite.get(m.symbol_id),
        included_at=m.included_at,
        entry_price=entry,
        current_price=price,
        price_source=source,
        performance_pct=performance,
        is_replacement_candidate=m.symbol_id in facts.candidates,
        replaceable_from=m.included_at + facts.min_holding,
        data_age_s=None if age is None else round(age, 3),
        stale=age is None or age > facts.stale_limit_s,
    )


def _price(
    m: MemberFacts, prices: PriceCache, now: datetime
) -> tuple[float | None, str | None, float | None]:
    """The streamed price when the cache has a fresh one, else the last synced mark price."""
    cached = prices.peek_fresh(m.symbol, now)
    if cached is not None:
        return cached.mid, cached.source, cached.age_s(now)
    if m.mark_price is None or m.market_data_at is None:
        return None, None, None
    return m.mark_price, "stored_mark", (now - m.market_data_at).total_seconds()


def _from_snapshot(
    item: dict[str, object], stored: dict[str, SymbolForms], ticks: dict[str, Decimal]
) -> MemberRead:
    symbol = str(item["symbol"])
    entry = None  # the snapshot's decimal string; older rows hold a float's, off the tick
    if item["entry_price"] is not None:
        entry = decimal_on_tick(Decimal(str(item["entry_price"])), ticks.get(symbol))
    forms = stored.get(symbol) or unsynced_forms(symbol, str(item["kucoin_symbol"]))
    return MemberRead.model_construct(
        rank=int(str(item["rank"])),
        symbol=symbol,
        kucoin_symbol=forms.kucoin,
        ccxt_symbol=forms.ccxt,
        listed=forms.listed,
        weight=Decimal(str(item["weight"])),
        composite=None,
        included_at=datetime.fromisoformat(str(item["included_at"])),
        entry_price=entry,
        current_price=None,
        price_source=None,
        performance_pct=None,
        is_replacement_candidate=False,
        replaceable_from=None,
        data_age_s=None,
        stale=False,
    )


class PortfolioReadService:
    """The portfolio for the hot read paths (`GET /portfolio`, freqtrade's pairlist): a snapshot
    the listening cache trusts is rendered without opening any database session; anything else
    reads through one."""

    def __init__(
        self,
        open_session: Callable[[], AbstractAsyncContextManager[AsyncSession]],
        prices: PriceCache,
        cache: PortfolioReadCache | None,
    ) -> None:
        self.open_session = open_session
        self.prices = prices
        self.cache = cache

    async def get(self, as_of: datetime | None = None) -> PortfolioRead:
        """The portfolio now, or as of a past time (reconstructed from the audit trail)."""
        if as_of is None and self.cache is not None:
            facts = self.cache.get_listened()
            if facts is not None:
                return render(facts, self.prices)
        async with self.open_session() as session:
            reader = PortfolioReader(session, self.prices, self.cache)
            if as_of is not None and as_of < utcnow():
                return await reader.as_of(as_of)
            return await reader.current()

    async def get_pairlist(self) -> Pairlist:
        """The members in ccxt's unified form (as stored at sync, so a member KuCoin no longer
        lists still has its pair), by rank, with their ranks and weights (and when these were
        set), and how often to ask again (the scoring interval, seconds): what freqtrade's
        RemotePairList reads."""
        async with self.open_session() as session:
            view = await PortfolioReader(session, self.prices, self.cache).current()
            refresh = await read_setting(session, SCORE_REFRESH_INTERVAL_S, int)
        return Pairlist(
            pairs=[m.ccxt_symbol for m in view.members],
            refresh_period=refresh,
            ranks={m.ccxt_symbol: m.rank for m in view.members},
            weights={m.ccxt_symbol: float(m.weight) for m in view.members},
            weights_as_of=view.weights_as_of,
        )
