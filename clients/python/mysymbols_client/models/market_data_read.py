from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.market_data_read_sources_item import MarketDataReadSourcesItem, check_market_data_read_sources_item

T = TypeVar("T", bound="MarketDataRead")


@_attrs_define
class MarketDataRead:
    """Where the candles behind the answer's figures came from
    (`app.market.contracts.data_source`).

        Attributes:
            note (str): The same in words, to show beside the figures.
            simulated (bool): Some of those candles came from the KuCoin simulator: the figures are not KuCoin's market's
                evidence.
            sources (list[MarketDataReadSourcesItem]): The kinds of source that stored the candles the figures read: `live`
                KuCoin, the `simulator` (generated prices, or another exchange's history replayed), a `custom` URL; empty where
                none was recorded (candles stored before 2026-11-28).
    """

    note: str
    simulated: bool
    sources: list[MarketDataReadSourcesItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        note = self.note

        simulated = self.simulated

        sources = []
        for sources_item_data in self.sources:
            sources_item: str = sources_item_data
            sources.append(sources_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "note": note,
                "simulated": simulated,
                "sources": sources,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        note = d.pop("note")

        simulated = d.pop("simulated")

        sources = []
        _sources = d.pop("sources")
        for sources_item_data in _sources:
            sources_item = check_market_data_read_sources_item(sources_item_data)

            sources.append(sources_item)

        market_data_read = cls(
            note=note,
            simulated=simulated,
            sources=sources,
        )

        market_data_read.additional_properties = d
        return market_data_read

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
