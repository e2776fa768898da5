from typing import Literal

ListAlertsStatus = Literal["acknowledged", "open", "resolved"]

LIST_ALERTS_STATUS_VALUES: set[ListAlertsStatus] = {
    "acknowledged",
    "open",
    "resolved",
}


def check_list_alerts_status(value: str) -> ListAlertsStatus:
    if value in LIST_ALERTS_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_ALERTS_STATUS_VALUES!r}")
