from typing import Literal

ReplayReadStatus = Literal["aborted", "cancelled", "failed", "queued", "running", "succeeded"]

REPLAY_READ_STATUS_VALUES: set[ReplayReadStatus] = {
    "aborted",
    "cancelled",
    "failed",
    "queued",
    "running",
    "succeeded",
}


def check_replay_read_status(value: str) -> ReplayReadStatus:
    if value in REPLAY_READ_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REPLAY_READ_STATUS_VALUES!r}")
