from typing import Literal

GetRankingsComponent = Literal["composite", "fundamental", "market_structure", "risk", "technical"]

GET_RANKINGS_COMPONENT_VALUES: set[GetRankingsComponent] = {
    "composite",
    "fundamental",
    "market_structure",
    "risk",
    "technical",
}


def check_get_rankings_component(value: str) -> GetRankingsComponent:
    if value in GET_RANKINGS_COMPONENT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {GET_RANKINGS_COMPONENT_VALUES!r}")
