from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.setting_read_type import SettingReadType, check_setting_read_type

T = TypeVar("T", bound="SettingRead")


@_attrs_define
class SettingRead:
    """
    Attributes:
        choices (list[str] | None): The allowed values (strings with a choice; each item of an array).
        default (Any):
        description (str):
        key (str):
        maximum (float | int | None): Largest allowed value (numbers).
        minimum (float | int | None): Smallest allowed value (numbers).
        type_ (SettingReadType):
        value (Any): The value in force (the default when none is stored).
    """

    choices: list[str] | None
    default: Any
    description: str
    key: str
    maximum: float | int | None
    minimum: float | int | None
    type_: SettingReadType
    value: Any
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        choices: list[str] | None
        if isinstance(self.choices, list):
            choices = self.choices

        else:
            choices = self.choices

        default = self.default

        description = self.description

        key = self.key

        maximum: float | int | None
        maximum = self.maximum

        minimum: float | int | None
        minimum = self.minimum

        type_: str = self.type_

        value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "choices": choices,
                "default": default,
                "description": description,
                "key": key,
                "maximum": maximum,
                "minimum": minimum,
                "type": type_,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_choices(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                choices_type_0 = cast(list[str], data)

                return choices_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        choices = _parse_choices(d.pop("choices"))

        default = d.pop("default")

        description = d.pop("description")

        key = d.pop("key")

        def _parse_maximum(data: object) -> float | int | None:
            if data is None:
                return data
            return cast(float | int | None, data)

        maximum = _parse_maximum(d.pop("maximum"))

        def _parse_minimum(data: object) -> float | int | None:
            if data is None:
                return data
            return cast(float | int | None, data)

        minimum = _parse_minimum(d.pop("minimum"))

        type_ = check_setting_read_type(d.pop("type"))

        value = d.pop("value")

        setting_read = cls(
            choices=choices,
            default=default,
            description=description,
            key=key,
            maximum=maximum,
            minimum=minimum,
            type_=type_,
            value=value,
        )

        setting_read.additional_properties = d
        return setting_read

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
