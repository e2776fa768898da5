from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.config_update_values import ConfigUpdateValues


T = TypeVar("T", bound="ConfigUpdate")


@_attrs_define
class ConfigUpdate:
    """
    Attributes:
        values (ConfigUpdateValues): Setting key -> new value; all are applied or none (unknown keys, values out of
            bounds and broken cross-key rules are 422).
    """

    values: ConfigUpdateValues

    def to_dict(self) -> dict[str, Any]:
        values = self.values.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "values": values,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.config_update_values import ConfigUpdateValues  # noqa: PLC0415

        d = dict(src_dict)
        values = ConfigUpdateValues.from_dict(d.pop("values"))

        config_update = cls(
            values=values,
        )

        return config_update
