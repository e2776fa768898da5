from typing import Literal

MarketDataCheckKind = Literal["custom", "live", "simulator"]

MARKET_DATA_CHECK_KIND_VALUES: set[MarketDataCheckKind] = {
    "custom",
    "live",
    "simulator",
}


def check_market_data_check_kind(value: str) -> MarketDataCheckKind:
    if value in MARKET_DATA_CHECK_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MARKET_DATA_CHECK_KIND_VALUES!r}")
