"""Queries on portfolio members, their audit trail and PnL reports; flushes, never commits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import String, Text, bindparam, func, select, text, true, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.selectable import TextualSelect

from app.market.models import Symbol
from app.platform.db.models.system_configuration import SystemConfiguration
from app.platform.db.session_flags import mark_portfolio_changed
from app.platform.db.transaction_locks import hold_until_end
from app.platform.db.types import UTCDateTime
from app.portfolio.models import PerformanceRecord, PortfolioHistory, PortfolioMember
from app.scoring.models import ScoringRun, SymbolScore

# Serialises portfolio writers across connections on PostgreSQL (SQLite serialises writers).
PORTFOLIO_LOCK_KEY = 0x4D59504F5254  # "MYPORT"


# Built once (statement construction costs more than execution on the hot read path).
_LATEST_SCORED_RUN = (
    select(ScoringRun.id, ScoringRun.started_at)
    .where(ScoringRun.status == "completed", ScoringRun.scored_count > 0)
    .order_by(ScoringRun.id.desc())
    .limit(1)
    .subquery()
)
# When the members' weights were last set: each change of them (a membership change, a
# rebalance) writes its audit row in its transaction, and each audit row records one.
_WEIGHTS_SET_AT = select(func.max(PortfolioHistory.occurred_at)).scalar_subquery()
WEIGHTS_SET_AT = select(_WEIGHTS_SET_AT)
LATEST_SCORED_RUN_ROW = select(_LATEST_SCORED_RUN.c.id, _LATEST_SCORED_RUN.c.started_at)
MEMBER_FACTS = (
    select(
        PortfolioMember.symbol_id,
        PortfolioMember.seat,
        PortfolioMember.weight,
        PortfolioMember.included_at,
        PortfolioMember.entry_price,
        Symbol.symbol,
        Symbol.kucoin_symbol,
        Symbol.mark_price,
        Symbol.market_data_at,
        SymbolScore.score,
        _LATEST_SCORED_RUN.c.id,
        _LATEST_SCORED_RUN.c.started_at,
        Symbol.ccxt_symbol,
        Symbol.status,
        Symbol.tick_size,
        _WEIGHTS_SET_AT,
    )
    .join(Symbol, Symbol.id == PortfolioMember.symbol_id)
    .outerjoin(_LATEST_SCORED_RUN, true())
    .outerjoin(
        SymbolScore,
        (SymbolScore.run_id == _LATEST_SCORED_RUN.c.id)
        & (SymbolScore.symbol_id == PortfolioMember.symbol_id)
        & (SymbolScore.component == "composite"),
    )
    .where(PortfolioMember.status == "active")
    .order_by(PortfolioMember.seat)
)


# An audit row's members as "rank,weight,symbol;..." (its snapshot is stored in rank order).
_COMPACT_MEMBERS = {
    "postgresql": "(SELECT string_agg(concat_ws(',', e->>'rank', e->>'weight', e->>'symbol'), "
    "';' ORDER BY (e->>'rank')::int) FROM jsonb_array_elements(h.details->'portfolio') AS e)",
    "sqlite": "(SELECT group_concat(json_extract(e.value, '$.rank') || ',' || "
    "json_extract(e.value, '$.weight') || ',' || json_extract(e.value, '$.symbol'), ';') "
    "FROM json_each(h.details, '$.portfolio') AS e)",
}


def compact_members_sql(dialect: str) -> str:
    """The SQL of an audit row `h`'s members as "rank,weight,symbol;..." in rank order."""
    return _COMPACT_MEMBERS[dialect if dialect in _COMPACT_MEMBERS else "sqlite"]


def _states_query(members: str, *, opening: bool) -> TextualSelect:
    """The audit rows of a timeline: the one `start` opens in, or those after it."""
    if opening:
        where, order, names = "h.occurred_at <= :start", "DESC", ["start"]
    else:
        where, order = "h.occurred_at > :start AND h.occurred_at < :end", "ASC"
        names = ["start", "end"]
    limit = " LIMIT 1" if opening else ""
    query = text(
        f"SELECT h.occurred_at, h.action, h.reason, {members} AS members "
        f"FROM portfolio_history AS h WHERE {where} "
        f"ORDER BY h.occurred_at {order}, h.id {order}{limit}"
    )
    return query.bindparams(*(bindparam(n, type_=UTCDateTime()) for n in names)).columns(
        occurred_at=UTCDateTime(), action=String(), reason=Text(), members=Text()
    )


@dataclass(frozen=True)
class MemberFacts:
    """An active member as the hot read path needs it (plain values, no ORM objects)."""

    symbol_id: int
    seat: int
    weight: Decimal
    included_at: datetime
    entry_price: Decimal | None
    symbol: str
    kucoin_symbol: str
    mark_price: float | None
    market_data_at: datetime | None
    ccxt_symbol: str | None = None  # as stored at sync (None: synced before it was stored)
    status: str = "Open"  # the contract's status at the last sync ("Delisted": no longer listed)
    tick_size: Decimal | None = None  # the contract's price step (None: prices left as they are)


@dataclass(frozen=True)
class MemberRow:
    member: PortfolioMember
    symbol: Symbol


class PortfolioRepository:
    """Members, their lock, the audit trail and the lean reads of the portfolio."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock(self) -> None:
        """Take the portfolio's write lock for this transaction (waits for other writers).

        A change of `max_portfolio_symbols` takes this lock too (`PUT /config`), so the limit
        cannot change under us. Taken before the reads that decide the change (on SQLite, the
        writer's turn: those reads then see every write committed before it).
        """
        mark_portfolio_changed(self.session)
        await hold_until_end(self.session, PORTFOLIO_LOCK_KEY)

    async def active(self) -> list[MemberRow]:
        """Active members by seat, with their symbols."""
        rows = await self.session.execute(
            select(PortfolioMember, Symbol)
            .join(Symbol, Symbol.id == PortfolioMember.symbol_id)
            .where(PortfolioMember.status == "active")
            .order_by(PortfolioMember.seat)
        )
        return [MemberRow(member, symbol) for member, symbol in rows.all()]

    async def active_symbol_ids(self) -> set[int]:
        """The symbol ids of the active members."""
        rows = await self.session.scalars(
            select(PortfolioMember.symbol_id).where(PortfolioMember.status == "active")
        )
        return set(rows.all())

    async def active_symbols(self) -> set[str]:
        """The canonical symbols of the active members."""
        rows = await self.session.scalars(
            select(Symbol.symbol)
            .join(PortfolioMember, PortfolioMember.symbol_id == Symbol.id)
            .where(PortfolioMember.status == "active")
        )
        return set(rows.all())

    async def member_facts(
        self,
    ) -> tuple[list[MemberFacts], int | None, datetime | None, dict[int, float], datetime | None]:
        """Active members by seat with their composites in the latest run that scored anything,
        that run's id and start, and when the weights were last set (the newest audit row; None
        before any): one lean Core query (three when there is no member)."""
        connection = await self.session.connection()  # Core: the hot read path
        rows = (await connection.execute(MEMBER_FACTS)).all()
        if not rows:
            run = (await connection.execute(LATEST_SCORED_RUN_ROW)).first()
            run_id, started_at = run if run is not None else (None, None)
            return [], run_id, started_at, {}, await connection.scalar(WEIGHTS_SET_AT)
        composites = {r[0]: float(r[9]) for r in rows if r[9] is not None}
        facts = [
            MemberFacts(*r[:9], ccxt_symbol=r[12], status=r[13], tick_size=r[14]) for r in rows
        ]
        return facts, rows[0][10], rows[0][11], composites, rows[0][15]

    async def read_version(self) -> tuple[Any, ...]:
        """One round trip that changes whenever anything the portfolio read shows may have:
        a portfolio change (each writes an audit row), a scoring run, a configuration edit, a
        universe sync."""
        row = (
            await self.session.execute(
                select(
                    select(func.max(PortfolioHistory.id)).scalar_subquery(),
                    select(func.max(ScoringRun.id))
                    .where(ScoringRun.status == "completed")
                    .scalar_subquery(),
                    select(func.max(SystemConfiguration.updated_at)).scalar_subquery(),
                    select(func.max(Symbol.market_data_at)).scalar_subquery(),
                )
            )
        ).one()
        return tuple(row)

    def add(self, member: PortfolioMember) -> None:
        self.session.add(member)

    async def set_seat(self, member: PortfolioMember, seat: int) -> None:
        """Move one member to a free seat now, in this order (seats are unique among active
        members, checked row by row, so the unit of work must not reorder these updates)."""
        await self.session.execute(
            update(PortfolioMember).where(PortfolioMember.id == member.id).values(seat=seat)
        )
        set_committed_value(member, "seat", seat)

    async def record(self, entry: PortfolioHistory) -> PortfolioHistory:
        self.session.add(entry)
        await self.session.flush()
        return entry

    async def history(
        self, *, since: datetime | None, symbol: str | None, limit: int
    ) -> Sequence[PortfolioHistory]:
        query = select(PortfolioHistory)
        if since is not None:
            query = query.where(PortfolioHistory.occurred_at >= since)
        if symbol is not None:
            query = query.where(
                (PortfolioHistory.symbol == symbol) | (PortfolioHistory.replaced_symbol == symbol)
            )
        query = query.order_by(PortfolioHistory.id.desc()).limit(limit)
        return (await self.session.scalars(query)).all()

    async def last_entry_at(self, moment: datetime) -> PortfolioHistory | None:
        """The newest audit row at or before `moment` (its snapshot is the state then)."""
        return await self.session.scalar(
            select(PortfolioHistory)
            .where(PortfolioHistory.occurred_at <= moment)
            .order_by(PortfolioHistory.occurred_at.desc(), PortfolioHistory.id.desc())
            .limit(1)
        )

    async def states_between(
        self, start: datetime, end: datetime
    ) -> list[tuple[datetime, str, str | None, str]]:
        """The audit rows that shape [start, end): the last one at or before `start` and every
        one after it before `end`, oldest first, as (occurred_at, action, reason, members), the
        members of the portfolio it recorded compacted by the database to
        "rank,weight,symbol;..." in rank order (a year of hourly rows is read in well under a
        second: the snapshots' other fields never leave the database)."""
        members = compact_members_sql(self.session.get_bind().dialect.name)
        bounds = {"start": start, "end": end}
        opening = _states_query(members, opening=True)
        first = (await self.session.execute(opening, {"start": start})).all()
        rest = (await self.session.execute(_states_query(members, opening=False), bounds)).all()
        return [(r[0], r[1], r[2], r[3] or "") for r in (*first, *rest)]

    async def first_change_at(self) -> datetime | None:
        """When the audit trail begins (None: nothing recorded yet)."""
        return await self.session.scalar(select(func.min(PortfolioHistory.occurred_at)))

    async def add_performance(self, record: PerformanceRecord) -> None:
        self.session.add(record)
        await self.session.flush()

    async def performance(
        self, symbol_ids: Sequence[int], since: datetime | None = None
    ) -> Sequence[PerformanceRecord]:
        query = select(PerformanceRecord).where(PerformanceRecord.symbol_id.in_(symbol_ids))
        if since is not None:
            query = query.where(PerformanceRecord.recorded_at >= since)
        return (
            await self.session.scalars(
                query.order_by(PerformanceRecord.recorded_at, PerformanceRecord.id)
            )
        ).all()

    async def symbol_by_name(self, symbol: str) -> Symbol | None:
        return await self.session.scalar(select(Symbol).where(Symbol.symbol == symbol))


def snapshot(rows: Sequence[MemberRow], ranks: Mapping[int, int]) -> list[dict[str, Any]]:
    """The portfolio as stored on an audit row, by rank (`ranks`: symbol id -> rank by score):
    enough to answer `as_of` exactly. Figures are JSON numbers, as the API gives them (rows
    written before 2026-11-26 hold decimal text, and ranks that were seats)."""
    return [
        {
            "symbol": r.symbol.symbol,
            "kucoin_symbol": r.symbol.kucoin_symbol,
            "rank": ranks[r.symbol.id],
            "weight": float(r.member.weight),
            "included_at": r.member.included_at.isoformat(),
            "entry_price": None if r.member.entry_price is None else float(r.member.entry_price),
        }
        for r in sorted(rows, key=lambda r: ranks[r.symbol.id])
    ]


class PortfolioGaugeReads:
    """The portfolio's figures `/metrics` reads, on a bare connection."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def totals(self) -> tuple[int, float]:
        """Active members and the sum of their weights (percent)."""
        row = (
            await self.connection.execute(
                select(func.count(), func.coalesce(func.sum(PortfolioMember.weight), 0)).where(
                    PortfolioMember.status == "active"
                )
            )
        ).one()
        return int(row[0]), float(row[1])

    async def untradable_members(self) -> int:
        """Active members whose contract is no longer tradable: not Open, or marked delisted
        (the `delisting` alert's condition)."""
        query = (
            select(func.count())
            .select_from(PortfolioMember)
            .join(Symbol, Symbol.id == PortfolioMember.symbol_id)
            .where(
                PortfolioMember.status == "active",
                (Symbol.status != "Open") | Symbol.delisted_at.is_not(None),
            )
        )
        return int(await self.connection.scalar(query) or 0)
