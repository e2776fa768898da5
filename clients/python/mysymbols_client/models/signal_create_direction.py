from typing import Literal

SignalCreateDirection = Literal["BUY", "NEUTRAL", "SELL"]

SIGNAL_CREATE_DIRECTION_VALUES: set[SignalCreateDirection] = {
    "BUY",
    "NEUTRAL",
    "SELL",
}


def check_signal_create_direction(value: str) -> SignalCreateDirection:
    if value in SIGNAL_CREATE_DIRECTION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SIGNAL_CREATE_DIRECTION_VALUES!r}")
