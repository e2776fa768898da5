"""The funding settlements, and until when each contract's were asked of KuCoin."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NotRequired, TypedDict

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.market.models import (
    FundingChecked,
    FundingSettlement,
)
from app.market.repository.conditions import unindexed
from app.platform.db.inserts import dialect_insert
from app.platform.db.repositories.streaming import in_slices


class FundingRow(TypedDict):
    """A `funding_settlement` row to insert (`fetched_at`: the column's default when absent)."""

    symbol_id: int
    settled_at: datetime
    rate: float
    fetched_at: NotRequired[datetime]


class FundingRepository:
    """The `funding_settlement` table."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def insert_missing(self, rows: Sequence[FundingRow]) -> int:
        """Insert settlements, ignoring (symbol, time) already stored; how many were new."""
        if not rows:
            return 0
        statement = (
            dialect_insert(self.session, FundingSettlement)
            .on_conflict_do_nothing()
            .returning(FundingSettlement.symbol_id)
        )
        result = await self.session.execute(statement, list(rows))
        return len(result.all())

    async def latest(self, symbol_ids: Sequence[int]) -> dict[int, datetime]:
        """The newest stored settlement time of each symbol that has one."""
        rows = await self.session.execute(
            select(FundingSettlement.symbol_id, func.max(FundingSettlement.settled_at))
            .where(FundingSettlement.symbol_id.in_(symbol_ids))
            .group_by(FundingSettlement.symbol_id)
        )
        return {symbol_id: at for symbol_id, at in rows.all() if at is not None}

    async def between(
        self, symbol_ids: Sequence[int], start: datetime, end: datetime
    ) -> Sequence[tuple[int, datetime, float]]:
        """(symbol id, settlement time, rate) in [start, end], oldest first."""
        query = (
            select(
                FundingSettlement.symbol_id, FundingSettlement.settled_at, FundingSettlement.rate
            )
            .where(
                FundingSettlement.symbol_id.in_(symbol_ids),
                FundingSettlement.settled_at >= start,
                FundingSettlement.settled_at <= end,
            )
            .order_by(FundingSettlement.symbol_id, FundingSettlement.settled_at)
        )
        out: list[tuple[int, datetime, float]] = []
        async for part in in_slices(self.session, query):  # a replay's: thousands of rows
            out.extend((i, at, float(rate)) for i, at, rate in part)
        return out

    async def checked(self, symbol_ids: Sequence[int]) -> dict[int, datetime]:
        """Until when each symbol's settlements were last asked for."""
        rows = await self.session.execute(
            select(FundingChecked.symbol_id, FundingChecked.checked_until).where(
                FundingChecked.symbol_id.in_(symbol_ids)
            )
        )
        return {symbol_id: at for symbol_id, at in rows.all()}

    async def mark_checked(self, symbol_ids: Sequence[int], until: datetime) -> None:
        if not symbol_ids:
            return
        statement = dialect_insert(self.session, FundingChecked).values(
            [{"symbol_id": i, "checked_until": until} for i in symbol_ids]
        )
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[FundingChecked.symbol_id],
                set_={"checked_until": statement.excluded.checked_until},
            )
        )

    async def fetched_since(self, start: datetime, end: datetime, since: datetime) -> int:
        """How many settlements in [start, end] were fetched at or after `since`."""
        settled = unindexed(FundingSettlement.settled_at)
        count = await self.session.scalar(
            select(func.count())
            .select_from(FundingSettlement)
            .where(FundingSettlement.fetched_at >= since, settled >= start, settled <= end)
        )
        return int(count or 0)

    async def every_between(
        self, after: datetime, until: datetime, *, inclusive: bool
    ) -> list[tuple[int, datetime, float]]:
        """Every symbol's settlements (symbol id, time, rate) after `after` (`inclusive`: at or
        after it) until `until`."""
        at = FundingSettlement.settled_at
        query = select(FundingSettlement.symbol_id, at, FundingSettlement.rate).where(
            at >= after if inclusive else at > after, at <= until
        )
        rows = (await self.session.execute(query)).all()
        return [(int(i), moment, float(rate)) for i, moment, rate in rows]
