"""The `symbol` table: the synced contract universe, and what it holds on a bare connection
(the status, the first start, `/metrics`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.market.models import (
    Symbol,
)
from app.platform.db.session_flags import mark_portfolio_changed
from app.platform.db.transaction_locks import hold_until_end

# Serialises universe syncs across replicas (PostgreSQL; SQLite serialises writers itself).
UNIVERSE_LOCK_KEY = 0x4D5953594E43  # "MYSYNC"


@dataclass(frozen=True)
class SymbolFilter:
    status: str | None = None
    eligible: bool | None = None
    quote: str | None = None


class SymbolRepository:
    """The `symbol` table: the synced contract universe."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_universe(self) -> None:
        """Hold a transaction-scoped lock so two syncs never interleave their upserts."""
        mark_portfolio_changed(self.session)  # new market data: prices and ages change
        await hold_until_end(self.session, UNIVERSE_LOCK_KEY)

    async def all_by_kucoin_symbol(self) -> dict[str, Symbol]:
        rows = (await self.session.scalars(select(Symbol))).all()
        return {row.kucoin_symbol: row for row in rows}

    async def get_many(self, ids: Sequence[int]) -> Sequence[Symbol]:
        if not ids:
            return []
        return (await self.session.scalars(select(Symbol).where(Symbol.id.in_(ids)))).all()

    async def ids_of(self, symbols: Sequence[str]) -> list[int]:
        """The ids of those of `symbols` (canonical) that are stored, ascending."""
        found = await self.session.scalars(select(Symbol.id).where(Symbol.symbol.in_(symbols)))
        return sorted(found.all())

    async def get_by_symbol(self, symbol: str) -> Symbol | None:
        return await self.session.scalar(select(Symbol).where(Symbol.symbol == symbol))

    async def forms(self, symbols: Sequence[str]) -> dict[str, tuple[str, str | None, str]]:
        """The stored forms of canonical `symbols`: (kucoin_symbol, ccxt_symbol, status)."""
        if not symbols:
            return {}
        rows = await self.session.execute(
            select(Symbol.symbol, Symbol.kucoin_symbol, Symbol.ccxt_symbol, Symbol.status).where(
                Symbol.symbol.in_(sorted(set(symbols)))
            )
        )
        return {r[0]: (r[1], r[2], r[3]) for r in rows.all()}

    async def tick_sizes(self, symbols: Sequence[str]) -> dict[str, Decimal]:
        """The stored price steps of canonical `symbols` (one never synced is left out)."""
        if not symbols:
            return {}
        rows = await self.session.execute(
            select(Symbol.symbol, Symbol.tick_size).where(Symbol.symbol.in_(sorted(set(symbols))))
        )
        return {r[0]: r[1] for r in rows.all()}

    def add(self, symbol: Symbol) -> None:
        self.session.add(symbol)

    async def flush(self) -> None:
        await self.session.flush()

    async def page(
        self, filters: SymbolFilter, *, limit: int, offset: int
    ) -> tuple[Sequence[Symbol], int]:
        query = select(Symbol)
        if filters.status is not None:
            query = query.where(Symbol.status == filters.status)
        if filters.eligible is not None:
            query = query.where(Symbol.is_eligible.is_(filters.eligible))
        if filters.quote is not None:
            query = query.where(Symbol.quote_currency == filters.quote)
        total = await self.session.scalar(select(func.count()).select_from(query.subquery()))
        ordered = (
            query.order_by(Symbol.turnover_24h.desc().nulls_last(), Symbol.symbol)
            .limit(limit)
            .offset(offset)
        )
        return (await self.session.scalars(ordered)).all(), int(total or 0)


class MarketDataReads:
    """What the universe holds, on a bare connection (the status, the first start, `/metrics`)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def latest_market_data_at(self) -> datetime | None:
        return await self.connection.scalar(select(func.max(Symbol.market_data_at)))

    async def has_symbols(self) -> bool:
        """Whether the universe was ever stored."""
        return bool(await self.connection.scalar(select(select(Symbol.id).exists())))
