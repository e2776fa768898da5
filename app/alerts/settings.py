"""The alerts' runtime settings: the thresholds a member's alerts are raised by (`Thresholds`),
and the period of the checks."""

from __future__ import annotations

from app.alerts.conditions import Thresholds
from app.platform.settings_store.declaration import INTERVAL, declare
from app.platform.settings_store.fields import declared_settings

ALERT_CHECK_INTERVAL_S = declare(
    "alert_check_interval_s",
    300,
    "Seconds between alert checks.",
    INTERVAL,
)

SETTINGS = (*declared_settings(Thresholds), ALERT_CHECK_INTERVAL_S)
