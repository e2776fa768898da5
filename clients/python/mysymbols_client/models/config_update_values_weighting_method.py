from typing import Literal

ConfigUpdateValuesWeightingMethod = Literal[
    "equal", "hrp", "inverse_volatility", "rank", "risk_parity", "score", "score_squared"
]

CONFIG_UPDATE_VALUES_WEIGHTING_METHOD_VALUES: set[ConfigUpdateValuesWeightingMethod] = {
    "equal",
    "hrp",
    "inverse_volatility",
    "rank",
    "risk_parity",
    "score",
    "score_squared",
}


def check_config_update_values_weighting_method(value: str) -> ConfigUpdateValuesWeightingMethod:
    if value in CONFIG_UPDATE_VALUES_WEIGHTING_METHOD_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CONFIG_UPDATE_VALUES_WEIGHTING_METHOD_VALUES!r}")
