from typing import Literal

SessionFiguresReadVerdict = Literal["commodity", "crypto", "equity", "unknown"]

SESSION_FIGURES_READ_VERDICT_VALUES: set[SessionFiguresReadVerdict] = {
    "commodity",
    "crypto",
    "equity",
    "unknown",
}


def check_session_figures_read_verdict(value: str) -> SessionFiguresReadVerdict:
    if value in SESSION_FIGURES_READ_VERDICT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SESSION_FIGURES_READ_VERDICT_VALUES!r}")
