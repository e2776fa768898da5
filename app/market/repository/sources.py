"""Where each kind of market data came from (`market_data_source`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import case, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.market.contracts.data_source import KINDS, Provenance
from app.market.models import (
    MarketDataSource,
)
from app.platform.core.clock import utcnow
from app.platform.db.inserts import dialect_insert


class MarketDataSourceRepository:
    """Where stored candles came from (`market_data_source`), kept with what is stored: each
    insert of candles records its source's kind (`app.market.contracts.data_source.KINDS`) and
    the open times it filled, so that a figure computed from candles can say whether any was
    generated, whatever source the service reads now (a database filled from the simulator and
    then pointed at KuCoin, or a restart before its first answer, still knows)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, source: str, open_times: Sequence[datetime]) -> None:
        """Widen `source`'s span of stored open times to cover `open_times` (one statement: two
        writers widen it without losing either's times). In the caller's transaction."""
        if not open_times:
            return
        if source not in KINDS:
            raise ValueError(f"unknown market data source {source!r}: one of {KINDS}")
        table = MarketDataSource.__table__
        statement = dialect_insert(self.session, MarketDataSource).values(
            source=source,
            first_open_time=min(open_times),
            last_open_time=max(open_times),
            last_stored_at=utcnow(),
        )
        new = statement.excluded
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[MarketDataSource.source],
                set_={
                    "first_open_time": case(
                        (new.first_open_time < table.c.first_open_time, new.first_open_time),
                        else_=table.c.first_open_time,
                    ),
                    "last_open_time": case(
                        (new.last_open_time > table.c.last_open_time, new.last_open_time),
                        else_=table.c.last_open_time,
                    ),
                    "last_stored_at": new.last_stored_at,
                },
            )
        )

    async def between(self, start: datetime, end: datetime) -> Provenance:
        """The kinds of source that stored candles opening in [start, end], in `KINDS` order."""
        rows = await self.session.scalars(
            select(MarketDataSource.source).where(
                MarketDataSource.first_open_time <= end, MarketDataSource.last_open_time >= start
            )
        )
        return Provenance.of(rows.all())
