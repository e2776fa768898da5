from typing import Literal

MarketDataCheckBreakerState = Literal["closed", "half_open", "open"]

MARKET_DATA_CHECK_BREAKER_STATE_VALUES: set[MarketDataCheckBreakerState] = {
    "closed",
    "half_open",
    "open",
}


def check_market_data_check_breaker_state(value: str) -> MarketDataCheckBreakerState:
    if value in MARKET_DATA_CHECK_BREAKER_STATE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MARKET_DATA_CHECK_BREAKER_STATE_VALUES!r}")
