"""The operations' runtime settings: the retention windows (`RetentionSettings`) and the period of
the retention passes."""

from __future__ import annotations

from app.operations.retention import RetentionSettings
from app.platform.settings_store.declaration import INTERVAL, declare
from app.platform.settings_store.fields import declared_settings

RETENTION_INTERVAL_S = declare(
    "retention_interval_s",
    3600,
    "Seconds between retention passes.",
    INTERVAL,
)

SETTINGS = (*declared_settings(RetentionSettings), RETENTION_INTERVAL_S)
