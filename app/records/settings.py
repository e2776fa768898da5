"""The records' runtime settings: the costs the as-run record pays, and the records' periods."""

from __future__ import annotations

from app.platform.settings_store.declaration import INTERVAL, declare
from app.platform.settings_store.fields import declared_settings
from app.records.as_run_update import RecordCosts

AS_RUN_RECORD_INTERVAL_S = declare(
    "as_run_record_interval_s",
    600,
    "Seconds between as-run record updates (the track_record job: each marks the hours whose "
    "candles are stored).",
    INTERVAL,
)
FORWARD_RECORD_INTERVAL_S = declare(
    "forward_record_interval_s",
    600,
    "Seconds between forward record updates (the forward_record job: each marks the hours whose"
    " candles are stored).",
    INTERVAL,
)
# Read by no job since migration 0039 (the two above took its value); kept so that the release
# before it, still running during a rollout, finds it: removed in a later release.
TRACK_RECORD_INTERVAL_S = declare(
    "track_record_interval_s",
    600,
    "Superseded by as_run_record_interval_s and forward_record_interval_s; read by no job, and "
    "removed in a later release.",
    INTERVAL,
)

SETTINGS = (
    *declared_settings(RecordCosts),
    AS_RUN_RECORD_INTERVAL_S,
    FORWARD_RECORD_INTERVAL_S,
    TRACK_RECORD_INTERVAL_S,
)
