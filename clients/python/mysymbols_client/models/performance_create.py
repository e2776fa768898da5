from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PerformanceCreate")


@_attrs_define
class PerformanceCreate:
    """
    Attributes:
        pnl (float): Realised plus unrealised PnL of the period, USDT.
        symbol (str): Any accepted form: BTCUSDT, XBTUSDTM, BTC/USDT:USDT, btc-usdt (letters and digits, parts joined by
            `/`, `:` or `-`; `_`, as in BTC_USDT, is a file name's separator, not a symbol's).
        timestamp (datetime.datetime):
        notional (float | None | Unset):
        pnl_pct (float | None | Unset):
    """

    pnl: float
    symbol: str
    timestamp: datetime.datetime
    notional: float | None | Unset = UNSET
    pnl_pct: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        pnl = self.pnl

        symbol = self.symbol

        timestamp = self.timestamp.isoformat()

        notional: float | None | Unset
        if isinstance(self.notional, Unset):
            notional = UNSET
        else:
            notional = self.notional

        pnl_pct: float | None | Unset
        if isinstance(self.pnl_pct, Unset):
            pnl_pct = UNSET
        else:
            pnl_pct = self.pnl_pct

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "pnl": pnl,
                "symbol": symbol,
                "timestamp": timestamp,
            }
        )
        if notional is not UNSET:
            field_dict["notional"] = notional
        if pnl_pct is not UNSET:
            field_dict["pnl_pct"] = pnl_pct

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        pnl = d.pop("pnl")

        symbol = d.pop("symbol")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        def _parse_notional(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        notional = _parse_notional(d.pop("notional", UNSET))

        def _parse_pnl_pct(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        pnl_pct = _parse_pnl_pct(d.pop("pnl_pct", UNSET))

        performance_create = cls(
            pnl=pnl,
            symbol=symbol,
            timestamp=timestamp,
            notional=notional,
            pnl_pct=pnl_pct,
        )

        return performance_create
