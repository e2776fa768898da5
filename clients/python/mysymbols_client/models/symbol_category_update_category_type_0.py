from typing import Literal

SymbolCategoryUpdateCategoryType0 = Literal["commodity", "crypto", "equity", "stablecoin"]

SYMBOL_CATEGORY_UPDATE_CATEGORY_TYPE_0_VALUES: set[SymbolCategoryUpdateCategoryType0] = {
    "commodity",
    "crypto",
    "equity",
    "stablecoin",
}


def check_symbol_category_update_category_type_0(value: str) -> SymbolCategoryUpdateCategoryType0:
    if value in SYMBOL_CATEGORY_UPDATE_CATEGORY_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SYMBOL_CATEGORY_UPDATE_CATEGORY_TYPE_0_VALUES!r}")
