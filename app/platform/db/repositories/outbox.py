"""Appends to and reads the event outbox; flushes, never commits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.db.models import EventOutbox
from app.platform.db.session_flags import mark_events_written
from app.platform.db.transaction_locks import hold_until_end

# Held from an event's insert to its transaction's commit, so ids are committed in order and a
# reader that has seen id N can never later meet a smaller one.
EVENTS_LOCK_KEY = 0x4D594556454E  # "MYEVEN"


class EventRepository:
    """The `event_outbox` table: appended in the changing transaction, read in order."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def append(self, kind: str, payload: dict[str, Any]) -> None:
        await hold_until_end(self.session, EVENTS_LOCK_KEY)
        self.session.add(EventOutbox(kind=kind, payload=payload))
        await self.session.flush()
        mark_events_written(self.session)

    async def after(self, last_id: int, limit: int = 500) -> Sequence[EventOutbox]:
        query = (
            select(EventOutbox)
            .where(EventOutbox.id > last_id)
            .order_by(EventOutbox.id)
            .limit(limit)
        )
        return (await self.session.scalars(query)).all()

    async def latest_id(self) -> int:
        return int(await self.session.scalar(select(func.max(EventOutbox.id))) or 0)
