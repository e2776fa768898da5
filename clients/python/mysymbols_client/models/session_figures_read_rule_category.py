from typing import Literal

SessionFiguresReadRuleCategory = Literal["commodity", "crypto", "equity", "unknown"]

SESSION_FIGURES_READ_RULE_CATEGORY_VALUES: set[SessionFiguresReadRuleCategory] = {
    "commodity",
    "crypto",
    "equity",
    "unknown",
}


def check_session_figures_read_rule_category(value: str) -> SessionFiguresReadRuleCategory:
    if value in SESSION_FIGURES_READ_RULE_CATEGORY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SESSION_FIGURES_READ_RULE_CATEGORY_VALUES!r}")
