from typing import Literal

SettingReadType = Literal["array", "boolean", "integer", "number", "string"]

SETTING_READ_TYPE_VALUES: set[SettingReadType] = {
    "array",
    "boolean",
    "integer",
    "number",
    "string",
}


def check_setting_read_type(value: str) -> SettingReadType:
    if value in SETTING_READ_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SETTING_READ_TYPE_VALUES!r}")
