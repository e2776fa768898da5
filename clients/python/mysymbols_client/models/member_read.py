from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MemberRead")


@_attrs_define
class MemberRead:
    """
    Attributes:
        ccxt_symbol (str): ccxt's unified form, as stored at the last sync.
        composite (float | None):
        current_price (float | None):
        data_age_s (float | None):
        entry_price (float | None):
        included_at (datetime.datetime):
        is_replacement_candidate (bool): Among the weakest members by score: what a replacement would take first once
            `replaceable_from` has passed.
        kucoin_symbol (str): KuCoin's code, as stored at the last sync.
        listed (bool): False when KuCoin's contract list no longer holds the contract.
        performance_pct (float | None): Price change since inclusion, percent.
        price_source (None | str): websocket, rest or stored_mark.
        rank (int): The order to read the members in: 1 = the best latest composite among them (members without a score
            last). A past snapshot (`as_of`) gives the ranks the change stored, by the scores of that time.
        replaceable_from (datetime.datetime | None): When its minimum holding time (runtime setting min_holding_hours)
            ends: before then nothing replaces it but an exit; null in a reconstructed past snapshot.
        stale (bool):
        symbol (str):
        weight (float): Percent of the portfolio, as the last change set it (`weights_as_of`).
    """

    ccxt_symbol: str
    composite: float | None
    current_price: float | None
    data_age_s: float | None
    entry_price: float | None
    included_at: datetime.datetime
    is_replacement_candidate: bool
    kucoin_symbol: str
    listed: bool
    performance_pct: float | None
    price_source: None | str
    rank: int
    replaceable_from: datetime.datetime | None
    stale: bool
    symbol: str
    weight: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ccxt_symbol = self.ccxt_symbol

        composite: float | None
        composite = self.composite

        current_price: float | None
        current_price = self.current_price

        data_age_s: float | None
        data_age_s = self.data_age_s

        entry_price: float | None
        entry_price = self.entry_price

        included_at = self.included_at.isoformat()

        is_replacement_candidate = self.is_replacement_candidate

        kucoin_symbol = self.kucoin_symbol

        listed = self.listed

        performance_pct: float | None
        performance_pct = self.performance_pct

        price_source: None | str
        price_source = self.price_source

        rank = self.rank

        replaceable_from: None | str
        if isinstance(self.replaceable_from, datetime.datetime):
            replaceable_from = self.replaceable_from.isoformat()
        else:
            replaceable_from = self.replaceable_from

        stale = self.stale

        symbol = self.symbol

        weight = self.weight

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ccxt_symbol": ccxt_symbol,
                "composite": composite,
                "current_price": current_price,
                "data_age_s": data_age_s,
                "entry_price": entry_price,
                "included_at": included_at,
                "is_replacement_candidate": is_replacement_candidate,
                "kucoin_symbol": kucoin_symbol,
                "listed": listed,
                "performance_pct": performance_pct,
                "price_source": price_source,
                "rank": rank,
                "replaceable_from": replaceable_from,
                "stale": stale,
                "symbol": symbol,
                "weight": weight,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ccxt_symbol = d.pop("ccxt_symbol")

        def _parse_composite(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        composite = _parse_composite(d.pop("composite"))

        def _parse_current_price(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        current_price = _parse_current_price(d.pop("current_price"))

        def _parse_data_age_s(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        data_age_s = _parse_data_age_s(d.pop("data_age_s"))

        def _parse_entry_price(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        entry_price = _parse_entry_price(d.pop("entry_price"))

        included_at = datetime.datetime.fromisoformat(d.pop("included_at"))

        is_replacement_candidate = d.pop("is_replacement_candidate")

        kucoin_symbol = d.pop("kucoin_symbol")

        listed = d.pop("listed")

        def _parse_performance_pct(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        performance_pct = _parse_performance_pct(d.pop("performance_pct"))

        def _parse_price_source(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        price_source = _parse_price_source(d.pop("price_source"))

        rank = d.pop("rank")

        def _parse_replaceable_from(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                replaceable_from_type_0 = datetime.datetime.fromisoformat(data)

                return replaceable_from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        replaceable_from = _parse_replaceable_from(d.pop("replaceable_from"))

        stale = d.pop("stale")

        symbol = d.pop("symbol")

        weight = d.pop("weight")

        member_read = cls(
            ccxt_symbol=ccxt_symbol,
            composite=composite,
            current_price=current_price,
            data_age_s=data_age_s,
            entry_price=entry_price,
            included_at=included_at,
            is_replacement_candidate=is_replacement_candidate,
            kucoin_symbol=kucoin_symbol,
            listed=listed,
            performance_pct=performance_pct,
            price_source=price_source,
            rank=rank,
            replaceable_from=replaceable_from,
            stale=stale,
            symbol=symbol,
            weight=weight,
        )

        member_read.additional_properties = d
        return member_read

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
