from typing import Literal

RankingItemCategory = Literal["commodity", "crypto", "equity", "stablecoin", "unknown"]

RANKING_ITEM_CATEGORY_VALUES: set[RankingItemCategory] = {
    "commodity",
    "crypto",
    "equity",
    "stablecoin",
    "unknown",
}


def check_ranking_item_category(value: str) -> RankingItemCategory:
    if value in RANKING_ITEM_CATEGORY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RANKING_ITEM_CATEGORY_VALUES!r}")
