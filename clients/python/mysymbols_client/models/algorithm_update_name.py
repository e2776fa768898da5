from typing import Literal

AlgorithmUpdateName = Literal["fundamental", "learned", "market_structure", "risk", "technical"]

ALGORITHM_UPDATE_NAME_VALUES: set[AlgorithmUpdateName] = {
    "fundamental",
    "learned",
    "market_structure",
    "risk",
    "technical",
}


def check_algorithm_update_name(value: str) -> AlgorithmUpdateName:
    if value in ALGORITHM_UPDATE_NAME_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ALGORITHM_UPDATE_NAME_VALUES!r}")
