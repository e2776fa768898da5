from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WeightChangeRead")


@_attrs_define
class WeightChangeRead:
    """
    Attributes:
        above_threshold (bool):
        applied (bool):
        current_weight (float):
        difference (float):
        symbol (str):
        target_weight (float):
    """

    above_threshold: bool
    applied: bool
    current_weight: float
    difference: float
    symbol: str
    target_weight: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        above_threshold = self.above_threshold

        applied = self.applied

        current_weight = self.current_weight

        difference = self.difference

        symbol = self.symbol

        target_weight = self.target_weight

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "above_threshold": above_threshold,
                "applied": applied,
                "current_weight": current_weight,
                "difference": difference,
                "symbol": symbol,
                "target_weight": target_weight,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        above_threshold = d.pop("above_threshold")

        applied = d.pop("applied")

        current_weight = d.pop("current_weight")

        difference = d.pop("difference")

        symbol = d.pop("symbol")

        target_weight = d.pop("target_weight")

        weight_change_read = cls(
            above_threshold=above_threshold,
            applied=applied,
            current_weight=current_weight,
            difference=difference,
            symbol=symbol,
            target_weight=target_weight,
        )

        weight_change_read.additional_properties = d
        return weight_change_read

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
