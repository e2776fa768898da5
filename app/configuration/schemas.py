"""Contracts of the configuration API: the runtime settings with their bounds, and changes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.configuration.registry import RUNTIME_SETTINGS, SETTINGS
from app.platform.schemas.bounds import MAX_SETTINGS_CHANGED, at_most
from app.platform.schemas.common import RequestBody

SETTING_EXAMPLE: dict[str, Any] = {
    "key": "max_portfolio_symbols",
    "value": 10,
    "type": "integer",
    "default": 10,
    "minimum": 1,
    "maximum": 50,
    "choices": None,
    "description": "Most active portfolio members (ranks 1..n enforced).",
}
# The examples show settings with bounds: API tooling (Spectral's `spectral:oas`) reads any
# object of the document with `type` and `default` as a JSON schema, examples included, wherever
# they stand, and a setting without bounds (`"maximum": null`) is no valid one.
_WEIGHT_CAP = SETTINGS["max_position_weight"]
NUMBER_EXAMPLE: dict[str, Any] = {
    "key": _WEIGHT_CAP.key,
    "value": _WEIGHT_CAP.default,
    "type": _WEIGHT_CAP.type,
    "default": _WEIGHT_CAP.default,
    "minimum": _WEIGHT_CAP.minimum,
    "maximum": _WEIGHT_CAP.maximum,
    "choices": None,
    "description": _WEIGHT_CAP.description,
}


class SettingRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [SETTING_EXAMPLE]})

    key: str
    value: Any = Field(description="The value in force (the default when none is stored).")
    type: Literal["integer", "number", "string", "boolean", "array"]
    default: Any
    minimum: int | float | None = Field(description="Smallest allowed value (numbers).")
    maximum: int | float | None = Field(description="Largest allowed value (numbers).")
    choices: list[str] | None = Field(
        description="The allowed values (strings with a choice; each item of an array)."
    )
    description: str


class ConfigRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"settings": [SETTING_EXAMPLE, NUMBER_EXAMPLE]}]}
    )

    settings: list[SettingRead] = Field(description="Every runtime setting, by key.")


def _value_schema(setting: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": setting.type, "description": setting.description}
    if setting.minimum is not None:
        schema["minimum"] = setting.minimum
    if setting.maximum is not None:
        schema["maximum"] = setting.maximum
    if setting.type == "array":
        schema["items"] = {"type": "string", "enum": list(setting.choices or ())}
        schema["uniqueItems"] = True
    elif setting.choices is not None:
        schema["enum"] = list(setting.choices)
    return schema


def _settings_by_key(schema: dict[str, Any]) -> None:
    schema["properties"] = {s.key: _value_schema(s) for s in RUNTIME_SETTINGS}
    schema["additionalProperties"] = False


class ConfigUpdate(RequestBody):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"values": {"max_position_weight": 30.0, "weighting_method": "hrp"}}]
        },
    )

    values: Annotated[dict[str, Any], *at_most(MAX_SETTINGS_CHANGED)] = Field(
        min_length=1,
        description="Setting key -> new value; all are applied or none (unknown keys, values "
        "out of bounds and broken cross-key rules are 422).",
        json_schema_extra=_settings_by_key,
    )


class SettingChangeRead(BaseModel):
    key: str
    old: Any
    new: Any


class ConfigChangeResult(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "changed": [{"key": "max_portfolio_symbols", "old": 10, "new": 12}],
                    "settings": [{**SETTING_EXAMPLE, "value": 12}, NUMBER_EXAMPLE],
                }
            ]
        }
    )

    changed: list[SettingChangeRead] = Field(
        description="The settings whose value changed (each with one audit row)."
    )
    settings: list[SettingRead]


class ConfigChangeRecord(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": 3,
                    "changed_at": "2026-11-23T10:04:11.532901Z",
                    "actor": "ops-admin",
                    "request_id": "9f1c0d3e5b7a4c2e8d6f0a1b2c3d4e5f",
                    "key": "max_portfolio_symbols",
                    "old_value": 10,
                    "new_value": 12,
                }
            ]
        },
    )

    id: int
    changed_at: datetime
    actor: str = Field(description="The API key's name.")
    request_id: str | None
    key: str
    old_value: Any
    new_value: Any
