"""The lab's runtime settings: the period of the walk-forward calibration of the stored history
(a replay's budgets are the books' `ReplaySettings`)."""

from __future__ import annotations

from app.platform.settings_store.declaration import DAY, YEAR, between, declare

EVIDENCE_REFRESH_INTERVAL_S = declare(
    "evidence_refresh_interval_s",
    7 * DAY,
    "Seconds between walk-forward calibrations of the stored history (the evidence).",
    between(3600, YEAR),
)

SETTINGS = (EVIDENCE_REFRESH_INTERVAL_S,)
