"""Units of the market's calendar."""

from __future__ import annotations

HOURS_PER_YEAR = 24 * 365  # crypto trades every hour: hourly figures annualise over 8760
HOUR_MS = 3_600_000
"""One hour in epoch milliseconds: candles open on this grid."""
DAY_MS = 24 * HOUR_MS
