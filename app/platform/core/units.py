"""Units of the market's calendar, defined here once: every layer imports them from here."""

from __future__ import annotations

from datetime import timedelta

HOURS_PER_YEAR = 24 * 365  # crypto trades every hour: hourly figures annualise over 8760
HOUR_MS = 3_600_000
"""One hour in epoch milliseconds: candles open on this grid."""
DAY_MS = 24 * HOUR_MS
HOUR_MIN = 60
"""One hour in minutes: the hourly candles' granularity (KuCoin's, and `granularity_min`)."""
HOUR = timedelta(hours=1)
"""One hour as a `timedelta`: the step of the decisions and of the records marked."""
DAY = timedelta(days=1)
