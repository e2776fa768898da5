from typing import Literal

SymbolReadCategoryOverrideType0 = Literal["commodity", "crypto", "equity", "stablecoin"]

SYMBOL_READ_CATEGORY_OVERRIDE_TYPE_0_VALUES: set[SymbolReadCategoryOverrideType0] = {
    "commodity",
    "crypto",
    "equity",
    "stablecoin",
}


def check_symbol_read_category_override_type_0(value: str) -> SymbolReadCategoryOverrideType0:
    if value in SYMBOL_READ_CATEGORY_OVERRIDE_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SYMBOL_READ_CATEGORY_OVERRIDE_TYPE_0_VALUES!r}")
