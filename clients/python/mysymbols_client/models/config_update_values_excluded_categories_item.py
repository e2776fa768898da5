from typing import Literal

ConfigUpdateValuesExcludedCategoriesItem = Literal["commodity", "crypto", "equity", "stablecoin"]

CONFIG_UPDATE_VALUES_EXCLUDED_CATEGORIES_ITEM_VALUES: set[ConfigUpdateValuesExcludedCategoriesItem] = {
    "commodity",
    "crypto",
    "equity",
    "stablecoin",
}


def check_config_update_values_excluded_categories_item(value: str) -> ConfigUpdateValuesExcludedCategoriesItem:
    if value in CONFIG_UPDATE_VALUES_EXCLUDED_CATEGORIES_ITEM_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CONFIG_UPDATE_VALUES_EXCLUDED_CATEGORIES_ITEM_VALUES!r}"
    )
