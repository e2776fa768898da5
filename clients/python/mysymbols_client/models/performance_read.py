from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PerformanceRead")


@_attrs_define
class PerformanceRead:
    """
    Attributes:
        included_at (datetime.datetime):
        max_drawdown (float):
        pnl_since_inclusion (float):
        records (int):
        symbol (str):
        win_rate (float | None):
    """

    included_at: datetime.datetime
    max_drawdown: float
    pnl_since_inclusion: float
    records: int
    symbol: str
    win_rate: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        included_at = self.included_at.isoformat()

        max_drawdown = self.max_drawdown

        pnl_since_inclusion = self.pnl_since_inclusion

        records = self.records

        symbol = self.symbol

        win_rate: float | None
        win_rate = self.win_rate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "included_at": included_at,
                "max_drawdown": max_drawdown,
                "pnl_since_inclusion": pnl_since_inclusion,
                "records": records,
                "symbol": symbol,
                "win_rate": win_rate,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        included_at = datetime.datetime.fromisoformat(d.pop("included_at"))

        max_drawdown = d.pop("max_drawdown")

        pnl_since_inclusion = d.pop("pnl_since_inclusion")

        records = d.pop("records")

        symbol = d.pop("symbol")

        def _parse_win_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        win_rate = _parse_win_rate(d.pop("win_rate"))

        performance_read = cls(
            included_at=included_at,
            max_drawdown=max_drawdown,
            pnl_since_inclusion=pnl_since_inclusion,
            records=records,
            symbol=symbol,
            win_rate=win_rate,
        )

        performance_read.additional_properties = d
        return performance_read

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
