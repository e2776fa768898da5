from typing import Literal

SessionFiguresReadNightTemplateType0 = Literal["asia", "europe", "us"]

SESSION_FIGURES_READ_NIGHT_TEMPLATE_TYPE_0_VALUES: set[SessionFiguresReadNightTemplateType0] = {
    "asia",
    "europe",
    "us",
}


def check_session_figures_read_night_template_type_0(value: str) -> SessionFiguresReadNightTemplateType0:
    if value in SESSION_FIGURES_READ_NIGHT_TEMPLATE_TYPE_0_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {SESSION_FIGURES_READ_NIGHT_TEMPLATE_TYPE_0_VALUES!r}"
    )
