from typing import Literal

ReplaySummaryStatus = Literal["aborted", "cancelled", "failed", "queued", "running", "succeeded"]

REPLAY_SUMMARY_STATUS_VALUES: set[ReplaySummaryStatus] = {
    "aborted",
    "cancelled",
    "failed",
    "queued",
    "running",
    "succeeded",
}


def check_replay_summary_status(value: str) -> ReplaySummaryStatus:
    if value in REPLAY_SUMMARY_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REPLAY_SUMMARY_STATUS_VALUES!r}")
