"""Column types and expressions that must read the same on PostgreSQL and SQLite."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import String, cast, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.lab.models import ReplayRun
from app.platform.db.json_text import SerializedJSON
from app.platform.db.models import JobRun
from app.platform.db.types import epoch_ms

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


async def test_a_document_serialized_ahead_is_stored_as_the_document_itself(
    session: AsyncSession,
) -> None:
    """A replay's report arrives serialized from the worker; the column holds the same JSON as
    if the document had been given, and reads back as the document."""
    document = {"sharpe": -0.02, "n": 3, "nested": [{"a": 1}, None, "é"], "ok": True}
    moment = datetime(2026, 11, 24, tzinfo=UTC)
    runs = [
        ReplayRun(requested_by="t", params=p, data_from=moment, data_to=moment)
        for p in (document, SerializedJSON.of(document))
    ]
    session.add_all(runs)
    await session.flush()
    session.expire_all()
    stored = (await session.scalars(select(ReplayRun.params).order_by(ReplayRun.id))).all()
    assert stored[0] == stored[1] == document
    texts = select(cast(ReplayRun.params, String)).order_by(ReplayRun.id)
    first, second = (await session.scalars(texts)).all()
    assert first == second
