"""The signals' runtime settings: the agents' limits and the consensus rule (`RuleSettings`), and
the period of the processing passes."""

from __future__ import annotations

from app.platform.settings_store.declaration import INTERVAL, declare
from app.platform.settings_store.fields import declared_settings
from app.signals.service import RuleSettings

SIGNAL_PROCESS_INTERVAL_S = declare(
    "signal_process_interval_s",
    60,
    "Seconds between signal processing passes.",
    INTERVAL,
)

SETTINGS = (*declared_settings(RuleSettings), SIGNAL_PROCESS_INTERVAL_S)
