from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.market_data_read import MarketDataRead
    from ..models.ranking_item import RankingItem


T = TypeVar("T", bound="RankingsRead")


@_attrs_define
class RankingsRead:
    """
    Attributes:
        component (str):
        data_age_s (float): Seconds since the run's market data was taken.
        items (list[RankingItem]):
        run_id (int):
        scored_at (datetime.datetime):
        stale (bool): True when these scores are not the newest word: a newer run scored nothing (so these are an older
            run's), or the run is older than the runtime setting stale_data_limit_s. `stale_reason` says which.
        stale_reason (None | str): Why `stale` is true: the newer run that scored nothing, with what kept it from
            scoring (its universe sync's error, its failed fetches, its exclusions), and/or the data's age past the limit;
            null when not stale.
        market_data (MarketDataRead | None | Unset): Where the candles behind these figures came from; null: no figure.
    """

    component: str
    data_age_s: float
    items: list[RankingItem]
    run_id: int
    scored_at: datetime.datetime
    stale: bool
    stale_reason: None | str
    market_data: MarketDataRead | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.market_data_read import MarketDataRead  # noqa: PLC0415

        component = self.component

        data_age_s = self.data_age_s

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        run_id = self.run_id

        scored_at = self.scored_at.isoformat()

        stale = self.stale

        stale_reason: None | str
        stale_reason = self.stale_reason

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
                "component": component,
                "data_age_s": data_age_s,
                "items": items,
                "run_id": run_id,
                "scored_at": scored_at,
                "stale": stale,
                "stale_reason": stale_reason,
            }
        )
        if market_data is not UNSET:
            field_dict["market_data"] = market_data

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.market_data_read import MarketDataRead  # noqa: PLC0415
        from ..models.ranking_item import RankingItem  # noqa: PLC0415

        d = dict(src_dict)
        component = d.pop("component")

        data_age_s = d.pop("data_age_s")

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = RankingItem.from_dict(items_item_data)

            items.append(items_item)

        run_id = d.pop("run_id")

        scored_at = datetime.datetime.fromisoformat(d.pop("scored_at"))

        stale = d.pop("stale")

        def _parse_stale_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        stale_reason = _parse_stale_reason(d.pop("stale_reason"))

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

        rankings_read = cls(
            component=component,
            data_age_s=data_age_s,
            items=items,
            run_id=run_id,
            scored_at=scored_at,
            stale=stale,
            stale_reason=stale_reason,
            market_data=market_data,
        )

        rankings_read.additional_properties = d
        return rankings_read

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
