from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OrderLineRead")


@_attrs_define
class OrderLineRead:
    """
    Attributes:
        current_contracts (int):
        delta_contracts (int):
        delta_notional_usdt (float):
        side (None | str):
        skipped_reason (None | str):
        symbol (str):
        target_contracts (int):
        target_notional_usdt (float):
        target_weight_pct (float):
    """

    current_contracts: int
    delta_contracts: int
    delta_notional_usdt: float
    side: None | str
    skipped_reason: None | str
    symbol: str
    target_contracts: int
    target_notional_usdt: float
    target_weight_pct: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        current_contracts = self.current_contracts

        delta_contracts = self.delta_contracts

        delta_notional_usdt = self.delta_notional_usdt

        side: None | str
        side = self.side

        skipped_reason: None | str
        skipped_reason = self.skipped_reason

        symbol = self.symbol

        target_contracts = self.target_contracts

        target_notional_usdt = self.target_notional_usdt

        target_weight_pct = self.target_weight_pct

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "current_contracts": current_contracts,
                "delta_contracts": delta_contracts,
                "delta_notional_usdt": delta_notional_usdt,
                "side": side,
                "skipped_reason": skipped_reason,
                "symbol": symbol,
                "target_contracts": target_contracts,
                "target_notional_usdt": target_notional_usdt,
                "target_weight_pct": target_weight_pct,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        current_contracts = d.pop("current_contracts")

        delta_contracts = d.pop("delta_contracts")

        delta_notional_usdt = d.pop("delta_notional_usdt")

        def _parse_side(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        side = _parse_side(d.pop("side"))

        def _parse_skipped_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        skipped_reason = _parse_skipped_reason(d.pop("skipped_reason"))

        symbol = d.pop("symbol")

        target_contracts = d.pop("target_contracts")

        target_notional_usdt = d.pop("target_notional_usdt")

        target_weight_pct = d.pop("target_weight_pct")

        order_line_read = cls(
            current_contracts=current_contracts,
            delta_contracts=delta_contracts,
            delta_notional_usdt=delta_notional_usdt,
            side=side,
            skipped_reason=skipped_reason,
            symbol=symbol,
            target_contracts=target_contracts,
            target_notional_usdt=target_notional_usdt,
            target_weight_pct=target_weight_pct,
        )

        order_line_read.additional_properties = d
        return order_line_read

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
