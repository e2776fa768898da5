from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.preset_read_weights import PresetReadWeights


T = TypeVar("T", bound="PresetRead")


@_attrs_define
class PresetRead:
    """
    Attributes:
        candidate (str): Its letter in the registered family (README, Scoring).
        is_default (bool): The configuration new databases start with.
        label (str):
        name (str):
        technical_version (int):
        weights (PresetReadWeights): Component weights, summing to 1.
    """

    candidate: str
    is_default: bool
    label: str
    name: str
    technical_version: int
    weights: PresetReadWeights
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        candidate = self.candidate

        is_default = self.is_default

        label = self.label

        name = self.name

        technical_version = self.technical_version

        weights = self.weights.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "candidate": candidate,
                "is_default": is_default,
                "label": label,
                "name": name,
                "technical_version": technical_version,
                "weights": weights,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.preset_read_weights import PresetReadWeights  # noqa: PLC0415

        d = dict(src_dict)
        candidate = d.pop("candidate")

        is_default = d.pop("is_default")

        label = d.pop("label")

        name = d.pop("name")

        technical_version = d.pop("technical_version")

        weights = PresetReadWeights.from_dict(d.pop("weights"))

        preset_read = cls(
            candidate=candidate,
            is_default=is_default,
            label=label,
            name=name,
            technical_version=technical_version,
            weights=weights,
        )

        preset_read.additional_properties = d
        return preset_read

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
