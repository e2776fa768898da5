from typing import Literal

RankingItemCategorySource = Literal["data", "exchange", "override", "table"]

RANKING_ITEM_CATEGORY_SOURCE_VALUES: set[RankingItemCategorySource] = {
    "data",
    "exchange",
    "override",
    "table",
}


def check_ranking_item_category_source(value: str) -> RankingItemCategorySource:
    if value in RANKING_ITEM_CATEGORY_SOURCE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RANKING_ITEM_CATEGORY_SOURCE_VALUES!r}")
