from typing import Literal

GetWeightsMethod = Literal["equal", "hrp", "inverse_volatility", "rank", "risk_parity", "score", "score_squared"]

GET_WEIGHTS_METHOD_VALUES: set[GetWeightsMethod] = {
    "equal",
    "hrp",
    "inverse_volatility",
    "rank",
    "risk_parity",
    "score",
    "score_squared",
}


def check_get_weights_method(value: str) -> GetWeightsMethod:
    if value in GET_WEIGHTS_METHOD_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {GET_WEIGHTS_METHOD_VALUES!r}")
