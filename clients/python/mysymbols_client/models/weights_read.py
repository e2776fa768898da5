from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.weights_read_inputs import WeightsReadInputs
    from ..models.weights_read_weights import WeightsReadWeights


T = TypeVar("T", bound="WeightsRead")


@_attrs_define
class WeightsRead:
    """
    Attributes:
        inputs (WeightsReadInputs): What the calculation read.
        method (str):
        relaxed_caps (list[str]): Caps no weights could meet with this many members, relaxed to 100/n.
        weights (WeightsReadWeights): Percent per member, summing to 100.
    """

    inputs: WeightsReadInputs
    method: str
    relaxed_caps: list[str]
    weights: WeightsReadWeights
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        inputs = self.inputs.to_dict()

        method = self.method

        relaxed_caps = self.relaxed_caps

        weights = self.weights.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "inputs": inputs,
                "method": method,
                "relaxed_caps": relaxed_caps,
                "weights": weights,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.weights_read_inputs import WeightsReadInputs  # noqa: PLC0415
        from ..models.weights_read_weights import WeightsReadWeights  # noqa: PLC0415

        d = dict(src_dict)
        inputs = WeightsReadInputs.from_dict(d.pop("inputs"))

        method = d.pop("method")

        relaxed_caps = cast(list[str], d.pop("relaxed_caps"))

        weights = WeightsReadWeights.from_dict(d.pop("weights"))

        weights_read = cls(
            inputs=inputs,
            method=method,
            relaxed_caps=relaxed_caps,
            weights=weights,
        )

        weights_read.additional_properties = d
        return weights_read

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
