from typing import Literal

MarketDataReadSourcesItem = Literal["custom", "live", "simulator"]

MARKET_DATA_READ_SOURCES_ITEM_VALUES: set[MarketDataReadSourcesItem] = {
    "custom",
    "live",
    "simulator",
}


def check_market_data_read_sources_item(value: str) -> MarketDataReadSourcesItem:
    if value in MARKET_DATA_READ_SOURCES_ITEM_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MARKET_DATA_READ_SOURCES_ITEM_VALUES!r}")
