from typing import Literal

TimelineReadSource = Literal["audit", "replay"]

TIMELINE_READ_SOURCE_VALUES: set[TimelineReadSource] = {
    "audit",
    "replay",
}


def check_timeline_read_source(value: str) -> TimelineReadSource:
    if value in TIMELINE_READ_SOURCE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TIMELINE_READ_SOURCE_VALUES!r}")
