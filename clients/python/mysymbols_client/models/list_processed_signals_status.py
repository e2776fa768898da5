from typing import Literal

ListProcessedSignalsStatus = Literal["approved", "expired", "rejected"]

LIST_PROCESSED_SIGNALS_STATUS_VALUES: set[ListProcessedSignalsStatus] = {
    "approved",
    "expired",
    "rejected",
}


def check_list_processed_signals_status(value: str) -> ListProcessedSignalsStatus:
    if value in LIST_PROCESSED_SIGNALS_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LIST_PROCESSED_SIGNALS_STATUS_VALUES!r}")
