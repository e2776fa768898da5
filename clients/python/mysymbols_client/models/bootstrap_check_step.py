from typing import Literal

BootstrapCheckStep = Literal["score_refresh", "universe_sync"]

BOOTSTRAP_CHECK_STEP_VALUES: set[BootstrapCheckStep] = {
    "score_refresh",
    "universe_sync",
}


def check_bootstrap_check_step(value: str) -> BootstrapCheckStep:
    if value in BOOTSTRAP_CHECK_STEP_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {BOOTSTRAP_CHECK_STEP_VALUES!r}")
