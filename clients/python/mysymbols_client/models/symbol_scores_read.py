from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.symbol_scores_read_category import SymbolScoresReadCategory, check_symbol_scores_read_category
from ..models.symbol_scores_read_category_source import (
    SymbolScoresReadCategorySource,
    check_symbol_scores_read_category_source,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.market_data_read import MarketDataRead
    from ..models.session_figures_read import SessionFiguresRead
    from ..models.symbol_scores_entry import SymbolScoresEntry


T = TypeVar("T", bound="SymbolScoresRead")


@_attrs_define
class SymbolScoresRead:
    """
    Attributes:
        category (SymbolScoresReadCategory): What the contract is, from the evidence in this order: an admin's override,
            KuCoin's own `assetClass` (STOCK, METAL, COMMODITY), the data (the session rule: a perpetual on a session-traded
            underlying goes quiet when its home market is shut, on weekday nights and at weekends; the peg rule for
            stablecoins), and a maintained table by base currency as the floor. `unknown`: too young for the session rule (a
            weekend and a week of weekday nights), or its evidence not clearly on either side yet; excluded while any
            category is. Also stablecoin where the newest scoring run found its closes pegged.
        category_figures (None | SessionFiguresRead): The session rule's figures on its last day; null before it has
            run.
        category_source (SymbolScoresReadCategorySource): Which evidence decided `category`.
        excluded (None | str): Why it has no score now: `excluded:category:<name>` while the runtime setting
            excluded_categories names its category, else its gate code in the newest scoring run; null when that run scored
            it (or never saw it).
        history (list[SymbolScoresEntry]):
        symbol (str):
        market_data (MarketDataRead | None | Unset): Where the candles behind these figures came from; null: no figure.
    """

    category: SymbolScoresReadCategory
    category_figures: None | SessionFiguresRead
    category_source: SymbolScoresReadCategorySource
    excluded: None | str
    history: list[SymbolScoresEntry]
    symbol: str
    market_data: MarketDataRead | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.market_data_read import MarketDataRead  # noqa: PLC0415
        from ..models.session_figures_read import SessionFiguresRead  # noqa: PLC0415

        category: str = self.category

        category_figures: dict[str, Any] | None
        if isinstance(self.category_figures, SessionFiguresRead):
            category_figures = self.category_figures.to_dict()
        else:
            category_figures = self.category_figures

        category_source: str = self.category_source

        excluded: None | str
        excluded = self.excluded

        history = []
        for history_item_data in self.history:
            history_item = history_item_data.to_dict()
            history.append(history_item)

        symbol = self.symbol

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
                "category": category,
                "category_figures": category_figures,
                "category_source": category_source,
                "excluded": excluded,
                "history": history,
                "symbol": symbol,
            }
        )
        if market_data is not UNSET:
            field_dict["market_data"] = market_data

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.market_data_read import MarketDataRead  # noqa: PLC0415
        from ..models.session_figures_read import SessionFiguresRead  # noqa: PLC0415
        from ..models.symbol_scores_entry import SymbolScoresEntry  # noqa: PLC0415

        d = dict(src_dict)
        category = check_symbol_scores_read_category(d.pop("category"))

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

        category_source = check_symbol_scores_read_category_source(d.pop("category_source"))

        def _parse_excluded(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        excluded = _parse_excluded(d.pop("excluded"))

        history = []
        _history = d.pop("history")
        for history_item_data in _history:
            history_item = SymbolScoresEntry.from_dict(history_item_data)

            history.append(history_item)

        symbol = d.pop("symbol")

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

        symbol_scores_read = cls(
            category=category,
            category_figures=category_figures,
            category_source=category_source,
            excluded=excluded,
            history=history,
            symbol=symbol,
            market_data=market_data,
        )

        symbol_scores_read.additional_properties = d
        return symbol_scores_read

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
