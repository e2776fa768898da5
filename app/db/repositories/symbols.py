"""Queries on `symbol`; flushes, never commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import PortfolioMember, Symbol
from app.db.session_flags import mark_portfolio_changed

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
        if self.session.get_bind().dialect.name == "postgresql":
            await self.session.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": UNIVERSE_LOCK_KEY}
            )

    async def all_by_kucoin_symbol(self) -> dict[str, Symbol]:
        rows = (await self.session.scalars(select(Symbol))).all()
        return {row.kucoin_symbol: row for row in rows}

    async def get_many(self, ids: Sequence[int]) -> Sequence[Symbol]:
        if not ids:
            return []
        return (await self.session.scalars(select(Symbol).where(Symbol.id.in_(ids)))).all()

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

    async def active_member_symbol_ids(self) -> set[int]:
        rows = await self.session.scalars(
            select(PortfolioMember.symbol_id).where(PortfolioMember.status == "active")
        )
        return set(rows.all())

    async def active_member_symbols(self) -> set[str]:
        """Canonical symbols of the active portfolio members."""
        rows = await self.session.scalars(
            select(Symbol.symbol)
            .join(PortfolioMember, PortfolioMember.symbol_id == Symbol.id)
            .where(PortfolioMember.status == "active")
        )
        return set(rows.all())

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
