from typing import Literal

SymbolReadCategorySource = Literal["data", "exchange", "override", "table"]

SYMBOL_READ_CATEGORY_SOURCE_VALUES: set[SymbolReadCategorySource] = {
    "data",
    "exchange",
    "override",
    "table",
}


def check_symbol_read_category_source(value: str) -> SymbolReadCategorySource:
    if value in SYMBOL_READ_CATEGORY_SOURCE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SYMBOL_READ_CATEGORY_SOURCE_VALUES!r}")
