"""The live record says where the candles its marks read came from, since its inception; a
record whose first hour is still to come has no figure to label yet."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.market.contracts.data_source import LIVE, NOTES, SIMULATOR
from app.market.repository.sources import MarketDataSourceRepository
from app.platform.core.clock import utcnow
from app.records.as_run_read import LiveEvidenceService

HOUR = timedelta(hours=1)


def record(inception: Any) -> Any:
    return SimpleNamespace(inception=inception)


async def test_its_figures_say_where_their_candles_came_from(session: AsyncSession) -> None:
    now = utcnow()
    stored = MarketDataSourceRepository(session)
    await stored.record(SIMULATOR, [now - 48 * HOUR, now - 10 * HOUR])
    await stored.record(LIVE, [now - 9 * HOUR, now - HOUR])
    service = LiveEvidenceService(session)
    since_two_days = await service.market_data(record(now - 30 * HOUR), None)
    assert since_two_days is not None and since_two_days.simulated
    assert since_two_days.note == NOTES[SIMULATOR]
    recent = await service.market_data(None, record(now - 5 * HOUR))
    assert recent is not None and (recent.sources, recent.simulated) == ([LIVE], False)


async def test_a_record_starting_in_an_hour_to_come_labels_nothing(session: AsyncSession) -> None:
    await MarketDataSourceRepository(session).record(SIMULATOR, [utcnow() - 5 * HOUR])
    service = LiveEvidenceService(session)
    assert await service.market_data(record(utcnow() + HOUR), None) is None
