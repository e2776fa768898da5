"""Column types and expressions that must read the same on PostgreSQL and SQLite."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import JobRun
from app.db.types import epoch_ms

MOMENTS = [
    datetime(1970, 1, 1, tzinfo=UTC),
    datetime(2026, 11, 23, 6, 0, tzinfo=UTC),
    datetime(2026, 11, 23, 6, 59, 59, 999000, tzinfo=UTC),
    datetime(2031, 2, 28, 23, 0, 0, 1000, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC) + timedelta(milliseconds=1),
]


async def test_epoch_ms_is_the_exact_epoch_millisecond_of_a_stored_utc_time(
    session: AsyncSession,
) -> None:
    for n, moment in enumerate(MOMENTS):
        session.add(JobRun(job=f"t{n}", scheduled_tick=moment, replica="r", started_at=moment))
    await session.flush()
    query = select(JobRun.scheduled_tick, epoch_ms(JobRun.scheduled_tick)).order_by(JobRun.id)
    rows = (await session.execute(query)).all()
    assert [ms for _, ms in rows] == [int(m.timestamp() * 1000) for m in MOMENTS]
    assert all(isinstance(ms, int) for _, ms in rows)
