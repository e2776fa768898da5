from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TimelineRow")


@_attrs_define
class TimelineRow:
    """
    Attributes:
        ccxt_symbol (str): ccxt's unified form, as stored at the last sync.
        from_ (datetime.datetime): The interval's start (inclusive).
        kucoin_symbol (str): KuCoin's code, as stored at the last sync.
        listed (bool): False when KuCoin's contract list no longer holds the contract (or, in a replay, when the
            universe never held it).
        rank (int):
        reason (str): The decision that opened the interval: the audit row's reason (its action when none was given); in
            a replay exit:<code>, replaced, added or rebalance.
        symbol (str): Canonical symbol, e.g. BTCUSDT.
        to (datetime.datetime): Its end (exclusive): the next change, or the range's end for an interval still open.
        weight (float): Percent; an interval's weights sum to 100.
    """

    ccxt_symbol: str
    from_: datetime.datetime
    kucoin_symbol: str
    listed: bool
    rank: int
    reason: str
    symbol: str
    to: datetime.datetime
    weight: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ccxt_symbol = self.ccxt_symbol

        from_ = self.from_.isoformat()

        kucoin_symbol = self.kucoin_symbol

        listed = self.listed

        rank = self.rank

        reason = self.reason

        symbol = self.symbol

        to = self.to.isoformat()

        weight = self.weight

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ccxt_symbol": ccxt_symbol,
                "from": from_,
                "kucoin_symbol": kucoin_symbol,
                "listed": listed,
                "rank": rank,
                "reason": reason,
                "symbol": symbol,
                "to": to,
                "weight": weight,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ccxt_symbol = d.pop("ccxt_symbol")

        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        kucoin_symbol = d.pop("kucoin_symbol")

        listed = d.pop("listed")

        rank = d.pop("rank")

        reason = d.pop("reason")

        symbol = d.pop("symbol")

        to = datetime.datetime.fromisoformat(d.pop("to"))

        weight = d.pop("weight")

        timeline_row = cls(
            ccxt_symbol=ccxt_symbol,
            from_=from_,
            kucoin_symbol=kucoin_symbol,
            listed=listed,
            rank=rank,
            reason=reason,
            symbol=symbol,
            to=to,
            weight=weight,
        )

        timeline_row.additional_properties = d
        return timeline_row

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
