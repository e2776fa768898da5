"""The records' hours: the hourly closes both records mark, and the last one they can mark."""

from __future__ import annotations

from datetime import UTC, datetime

from app.platform.core.units import HOUR
from app.records.repository.as_run import AsRunRepository


def floor_hour(moment: datetime) -> datetime:
    """The hour `moment` falls in (UTC)."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def ceil_hour(moment: datetime) -> datetime:
    """The first hourly close at or after `moment`."""
    floored = floor_hour(moment)
    return floored if floored == moment else floored + HOUR


async def markable_until(records: AsRunRepository, now: datetime) -> datetime | None:
    """The last hour the record can mark: the newest stored candle's close, not after now."""
    last_open = await records.last_candle_open()
    if last_open is None:
        return None
    return min(last_open + HOUR, floor_hour(now))
