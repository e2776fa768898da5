from typing import Literal

ReplaySummaryKind = Literal["calibration", "replay", "what_if"]

REPLAY_SUMMARY_KIND_VALUES: set[ReplaySummaryKind] = {
    "calibration",
    "replay",
    "what_if",
}


def check_replay_summary_kind(value: str) -> ReplaySummaryKind:
    if value in REPLAY_SUMMARY_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REPLAY_SUMMARY_KIND_VALUES!r}")
