"""A live record's one row, flushed, never committed: created once, then moved by compare-and-set
from the hour it stands at (`OneRowRecordRepository`), or `LostRace` when another transaction
moved it first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.core.clock import utcnow
from app.records.models import ROW_ID, OneRowRecord


class LostRace(RuntimeError):
    """Another transaction moved the record first (nothing of this one is kept)."""


class OneRowRecordRepository:
    """A record's one row: created once, then moved from the hour it stands at, or `LostRace`."""

    model: type[OneRowRecord]
    named: str  # the record, in `LostRace`'s message

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _create(self, **values: Any) -> None:
        """The record's first row (LostRace if another transaction created it)."""
        try:
            await self.session.execute(
                insert(self.model).values(id=ROW_ID, **values, updated_at=utcnow())
            )
        except IntegrityError as exc:
            raise LostRace(f"{self.named} was started by another transaction") from exc

    async def _advance(self, expected: datetime, **values: Any) -> datetime:
        """Move the record from `expected` (LostRace if it is not there); its new `updated_at`."""
        updated_at = utcnow()
        model = self.model
        result = await self.session.execute(
            update(model)
            .where(model.id == ROW_ID, model.last_hour == expected)
            .values(**values, updated_at=updated_at)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise LostRace(f"{self.named} is no longer at {expected.isoformat()}")
        return updated_at
