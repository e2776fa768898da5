"""Units of the market's calendar."""

from __future__ import annotations

HOURS_PER_YEAR = 24 * 365  # crypto trades every hour: hourly figures annualise over 8760
