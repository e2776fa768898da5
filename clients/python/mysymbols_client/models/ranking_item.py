from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ranking_item_category import RankingItemCategory, check_ranking_item_category
from ..models.ranking_item_category_source import RankingItemCategorySource, check_ranking_item_category_source

if TYPE_CHECKING:
    from ..models.ranking_item_components import RankingItemComponents
    from ..models.session_figures_read import SessionFiguresRead


T = TypeVar("T", bound="RankingItem")


@_attrs_define
class RankingItem:
    """
    Attributes:
        category (RankingItemCategory): What the contract is, from the evidence in this order: an admin's override,
            KuCoin's own `assetClass` (STOCK, METAL, COMMODITY), the data (the session rule: a perpetual on a session-traded
            underlying goes quiet when its home market is shut, on weekday nights and at weekends; the peg rule for
            stablecoins), and a maintained table by base currency as the floor. `unknown`: too young for the session rule (a
            weekend and a week of weekday nights), or its evidence not clearly on either side yet; excluded while any
            category is.
        category_figures (None | SessionFiguresRead): The session rule's figures on its last day; null before it has
            run.
        category_source (RankingItemCategorySource): Which evidence decided `category`.
        components (RankingItemComponents):
        composite (float):
        confidence (float): Share of the metric weight measured.
        kucoin_symbol (str):
        rank (int):
        symbol (str):
    """

    category: RankingItemCategory
    category_figures: None | SessionFiguresRead
    category_source: RankingItemCategorySource
    components: RankingItemComponents
    composite: float
    confidence: float
    kucoin_symbol: str
    rank: int
    symbol: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.session_figures_read import SessionFiguresRead  # noqa: PLC0415

        category: str = self.category

        category_figures: dict[str, Any] | None
        if isinstance(self.category_figures, SessionFiguresRead):
            category_figures = self.category_figures.to_dict()
        else:
            category_figures = self.category_figures

        category_source: str = self.category_source

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
                "category": category,
                "category_figures": category_figures,
                "category_source": category_source,
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
        from ..models.session_figures_read import SessionFiguresRead  # noqa: PLC0415

        d = dict(src_dict)
        category = check_ranking_item_category(d.pop("category"))

        def _parse_category_figures(data: object) -> None | SessionFiguresRead:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                category_figures_type_0 = SessionFiguresRead.from_dict(data)

                return category_figures_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SessionFiguresRead, data)

        category_figures = _parse_category_figures(d.pop("category_figures"))

        category_source = check_ranking_item_category_source(d.pop("category_source"))

        components = RankingItemComponents.from_dict(d.pop("components"))

        composite = d.pop("composite")

        confidence = d.pop("confidence")

        kucoin_symbol = d.pop("kucoin_symbol")

        rank = d.pop("rank")

        symbol = d.pop("symbol")

        ranking_item = cls(
            category=category,
            category_figures=category_figures,
            category_source=category_source,
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
