from typing import Literal

SymbolScoresReadCategory = Literal["commodity", "crypto", "equity", "stablecoin", "unknown"]

SYMBOL_SCORES_READ_CATEGORY_VALUES: set[SymbolScoresReadCategory] = {
    "commodity",
    "crypto",
    "equity",
    "stablecoin",
    "unknown",
}


def check_symbol_scores_read_category(value: str) -> SymbolScoresReadCategory:
    if value in SYMBOL_SCORES_READ_CATEGORY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SYMBOL_SCORES_READ_CATEGORY_VALUES!r}")
