from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReplaceSymbol")


@_attrs_define
class ReplaceSymbol:
    """
    Attributes:
        new_symbol (str): Any accepted form: BTCUSDT, XBTUSDTM, BTC/USDT:USDT, btc-usdt (letters and digits, parts
            joined by `/`, `:` or `-`; `_`, as in BTC_USDT, is a file name's separator, not a symbol's).
        old_symbol (str): Any accepted form: BTCUSDT, XBTUSDTM, BTC/USDT:USDT, btc-usdt (letters and digits, parts
            joined by `/`, `:` or `-`; `_`, as in BTC_USDT, is a file name's separator, not a symbol's).
        reason (None | str | Unset):
    """

    new_symbol: str
    old_symbol: str
    reason: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        new_symbol = self.new_symbol

        old_symbol = self.old_symbol

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "new_symbol": new_symbol,
                "old_symbol": old_symbol,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        new_symbol = d.pop("new_symbol")

        old_symbol = d.pop("old_symbol")

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        replace_symbol = cls(
            new_symbol=new_symbol,
            old_symbol=old_symbol,
            reason=reason,
        )

        return replace_symbol
