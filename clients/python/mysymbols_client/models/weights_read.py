from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.market_data_read import MarketDataRead
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
        market_data (MarketDataRead | None | Unset): Where the candles behind these figures came from; null: no figure.
    """

    inputs: WeightsReadInputs
    method: str
    relaxed_caps: list[str]
    weights: WeightsReadWeights
    market_data: MarketDataRead | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.market_data_read import MarketDataRead  # noqa: PLC0415

        inputs = self.inputs.to_dict()

        method = self.method

        relaxed_caps = self.relaxed_caps

        weights = self.weights.to_dict()

        market_data: dict[str, Any] | None | Unset
        if isinstance(self.market_data, Unset):
            market_data = UNSET
        elif isinstance(self.market_data, MarketDataRead):
            market_data = self.market_data.to_dict()
        else:
            market_data = self.market_data

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
        if market_data is not UNSET:
            field_dict["market_data"] = market_data

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.market_data_read import MarketDataRead  # noqa: PLC0415
        from ..models.weights_read_inputs import WeightsReadInputs  # noqa: PLC0415
        from ..models.weights_read_weights import WeightsReadWeights  # noqa: PLC0415

        d = dict(src_dict)
        inputs = WeightsReadInputs.from_dict(d.pop("inputs"))

        method = d.pop("method")

        relaxed_caps = cast(list[str], d.pop("relaxed_caps"))

        weights = WeightsReadWeights.from_dict(d.pop("weights"))

        def _parse_market_data(data: object) -> MarketDataRead | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                market_data_type_0 = MarketDataRead.from_dict(data)

                return market_data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MarketDataRead | None | Unset, data)

        market_data = _parse_market_data(d.pop("market_data", UNSET))

        weights_read = cls(
            inputs=inputs,
            method=method,
            relaxed_caps=relaxed_caps,
            weights=weights,
            market_data=market_data,
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
