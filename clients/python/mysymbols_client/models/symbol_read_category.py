from typing import Literal

SymbolReadCategory = Literal["commodity", "crypto", "equity", "stablecoin", "unknown"]

SYMBOL_READ_CATEGORY_VALUES: set[SymbolReadCategory] = {
    "commodity",
    "crypto",
    "equity",
    "stablecoin",
    "unknown",
}


def check_symbol_read_category(value: str) -> SymbolReadCategory:
    if value in SYMBOL_READ_CATEGORY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SYMBOL_READ_CATEGORY_VALUES!r}")
