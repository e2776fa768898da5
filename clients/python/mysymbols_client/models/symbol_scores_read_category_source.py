from typing import Literal

SymbolScoresReadCategorySource = Literal["data", "exchange", "override", "table"]

SYMBOL_SCORES_READ_CATEGORY_SOURCE_VALUES: set[SymbolScoresReadCategorySource] = {
    "data",
    "exchange",
    "override",
    "table",
}


def check_symbol_scores_read_category_source(value: str) -> SymbolScoresReadCategorySource:
    if value in SYMBOL_SCORES_READ_CATEGORY_SOURCE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SYMBOL_SCORES_READ_CATEGORY_SOURCE_VALUES!r}")
