from typing import Literal

ListAlertsKind = Literal[
    "category",
    "challenger_qualified",
    "concentration",
    "delisting",
    "exchange_unavailable",
    "high_correlation",
    "low_score",
    "member_exit",
    "poor_performance",
    "scorer_not_installed",
    "scoring_parameters",
    "stale_data",
]

LIST_ALERTS_KIND_VALUES: set[ListAlertsKind] = {
    "category",
    "challenger_qualified",
    "concentration",
    "delisting",
    "exchange_unavailable",
    "high_correlation",
    "low_score",
    "member_exit",
    "poor_performance",
    "scorer_not_installed",
    "scoring_parameters",
    "stale_data",
}


def check_list_alerts_kind(value: str) -> ListAlertsKind:
    if value in LIST_ALERTS_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_ALERTS_KIND_VALUES!r}")
