from typing import Literal

KucoinBudgetCheckMode = Literal["fallback", "local", "shared"]

KUCOIN_BUDGET_CHECK_MODE_VALUES: set[KucoinBudgetCheckMode] = {
    "fallback",
    "local",
    "shared",
}


def check_kucoin_budget_check_mode(value: str) -> KucoinBudgetCheckMode:
    if value in KUCOIN_BUDGET_CHECK_MODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {KUCOIN_BUDGET_CHECK_MODE_VALUES!r}")
