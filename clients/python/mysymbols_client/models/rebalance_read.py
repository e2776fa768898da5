from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.order_line_read import OrderLineRead
    from ..models.weight_change_read import WeightChangeRead


T = TypeVar("T", bound="RebalanceRead")


@_attrs_define
class RebalanceRead:
    """
    Attributes:
        account_balance (float | None):
        changes (list[WeightChangeRead]):
        changes_applied (int): Members whose weight this rebalance changed.
        dry_run (bool):
        evaluated_at (datetime.datetime):
        forced (bool):
        history_id (int | None):
        method (str):
        orders (list[OrderLineRead]):
        request_id (None | str): The request that ran this rebalance.
        stale_inputs (list[str]):
        threshold_pct (float):
    """

    account_balance: float | None
    changes: list[WeightChangeRead]
    changes_applied: int
    dry_run: bool
    evaluated_at: datetime.datetime
    forced: bool
    history_id: int | None
    method: str
    orders: list[OrderLineRead]
    request_id: None | str
    stale_inputs: list[str]
    threshold_pct: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account_balance: float | None
        account_balance = self.account_balance

        changes = []
        for changes_item_data in self.changes:
            changes_item = changes_item_data.to_dict()
            changes.append(changes_item)

        changes_applied = self.changes_applied

        dry_run = self.dry_run

        evaluated_at = self.evaluated_at.isoformat()

        forced = self.forced

        history_id: int | None
        history_id = self.history_id

        method = self.method

        orders = []
        for orders_item_data in self.orders:
            orders_item = orders_item_data.to_dict()
            orders.append(orders_item)

        request_id: None | str
        request_id = self.request_id

        stale_inputs = self.stale_inputs

        threshold_pct = self.threshold_pct

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "account_balance": account_balance,
                "changes": changes,
                "changes_applied": changes_applied,
                "dry_run": dry_run,
                "evaluated_at": evaluated_at,
                "forced": forced,
                "history_id": history_id,
                "method": method,
                "orders": orders,
                "request_id": request_id,
                "stale_inputs": stale_inputs,
                "threshold_pct": threshold_pct,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.order_line_read import OrderLineRead  # noqa: PLC0415
        from ..models.weight_change_read import WeightChangeRead  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_account_balance(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        account_balance = _parse_account_balance(d.pop("account_balance"))

        changes = []
        _changes = d.pop("changes")
        for changes_item_data in _changes:
            changes_item = WeightChangeRead.from_dict(changes_item_data)

            changes.append(changes_item)

        changes_applied = d.pop("changes_applied")

        dry_run = d.pop("dry_run")

        evaluated_at = datetime.datetime.fromisoformat(d.pop("evaluated_at"))

        forced = d.pop("forced")

        def _parse_history_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        history_id = _parse_history_id(d.pop("history_id"))

        method = d.pop("method")

        orders = []
        _orders = d.pop("orders")
        for orders_item_data in _orders:
            orders_item = OrderLineRead.from_dict(orders_item_data)

            orders.append(orders_item)

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        stale_inputs = cast(list[str], d.pop("stale_inputs"))

        threshold_pct = d.pop("threshold_pct")

        rebalance_read = cls(
            account_balance=account_balance,
            changes=changes,
            changes_applied=changes_applied,
            dry_run=dry_run,
            evaluated_at=evaluated_at,
            forced=forced,
            history_id=history_id,
            method=method,
            orders=orders,
            request_id=request_id,
            stale_inputs=stale_inputs,
            threshold_pct=threshold_pct,
        )

        rebalance_read.additional_properties = d
        return rebalance_read

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
