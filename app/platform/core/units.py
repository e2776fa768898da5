"""Units of the market's calendar, defined here once: every layer imports them from here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

HOURS_PER_YEAR = 24 * 365  # crypto trades every hour: hourly figures annualise over 8760
HOUR_MS = 3_600_000
"""One hour in epoch milliseconds: candles open on this grid."""
DAY_MS = 24 * HOUR_MS
HOUR_MIN = 60
"""One hour in minutes: the hourly candles' granularity (KuCoin's, and `granularity_min`)."""
HOUR = timedelta(hours=1)
"""One hour as a `timedelta`: the step of the decisions and of the records marked."""
DAY = timedelta(days=1)


def to_epoch_ms(moment: datetime) -> int:
    """`moment` in epoch milliseconds (truncated toward zero)."""
    return int(moment.timestamp() * 1000)


def from_epoch_ms(ms: int) -> datetime:
    """Epoch milliseconds `ms` as a UTC datetime."""
    return datetime.fromtimestamp(ms / 1000, UTC)
