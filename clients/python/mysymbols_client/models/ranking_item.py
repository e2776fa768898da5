from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.ranking_item_components import RankingItemComponents


T = TypeVar("T", bound="RankingItem")


@_attrs_define
class RankingItem:
    """
    Attributes:
        components (RankingItemComponents):
        composite (float):
        confidence (float): Share of the metric weight measured.
        kucoin_symbol (str):
        rank (int):
        symbol (str):
    """

    components: RankingItemComponents
    composite: float
    confidence: float
    kucoin_symbol: str
    rank: int
    symbol: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        components = self.components.to_dict()

        composite = self.composite

        confidence = self.confidence

        kucoin_symbol = self.kucoin_symbol

        rank = self.rank

        symbol = self.symbol

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "components": components,
                "composite": composite,
                "confidence": confidence,
                "kucoin_symbol": kucoin_symbol,
                "rank": rank,
                "symbol": symbol,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ranking_item_components import RankingItemComponents  # noqa: PLC0415

        d = dict(src_dict)
        components = RankingItemComponents.from_dict(d.pop("components"))

        composite = d.pop("composite")

        confidence = d.pop("confidence")

        kucoin_symbol = d.pop("kucoin_symbol")

        rank = d.pop("rank")

        symbol = d.pop("symbol")

        ranking_item = cls(
            components=components,
            composite=composite,
            confidence=confidence,
            kucoin_symbol=kucoin_symbol,
            rank=rank,
            symbol=symbol,
        )

        ranking_item.additional_properties = d
        return ranking_item

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
