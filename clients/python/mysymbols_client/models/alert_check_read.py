from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AlertCheckRead")


@_attrs_define
class AlertCheckRead:
    """
    Attributes:
        ongoing (list[str]):
        raised (list[str]):
        resolved (list[str]):
    """

    ongoing: list[str]
    raised: list[str]
    resolved: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ongoing = self.ongoing

        raised = self.raised

        resolved = self.resolved

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ongoing": ongoing,
                "raised": raised,
                "resolved": resolved,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ongoing = cast(list[str], d.pop("ongoing"))

        raised = cast(list[str], d.pop("raised"))

        resolved = cast(list[str], d.pop("resolved"))

        alert_check_read = cls(
            ongoing=ongoing,
            raised=raised,
            resolved=resolved,
        )

        alert_check_read.additional_properties = d
        return alert_check_read

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
