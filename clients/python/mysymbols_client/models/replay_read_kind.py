from typing import Literal

ReplayReadKind = Literal["calibration", "replay", "what_if"]

REPLAY_READ_KIND_VALUES: set[ReplayReadKind] = {
    "calibration",
    "replay",
    "what_if",
}


def check_replay_read_kind(value: str) -> ReplayReadKind:
    if value in REPLAY_READ_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REPLAY_READ_KIND_VALUES!r}")
