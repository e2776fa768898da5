from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.history_read_details import HistoryReadDetails


T = TypeVar("T", bound="HistoryRead")


@_attrs_define
class HistoryRead:
    """
    Attributes:
        action (str):
        actor (str):
        details (HistoryReadDetails): The portfolio after the change, weights before it, how weights were made.
        id (int):
        new_rank (int | None):
        new_weight (float | None):
        occurred_at (datetime.datetime):
        old_rank (int | None):
        old_weight (float | None):
        reason (None | str):
        replaced_symbol (None | str):
        request_id (None | str):
        symbol (None | str):
    """

    action: str
    actor: str
    details: HistoryReadDetails
    id: int
    new_rank: int | None
    new_weight: float | None
    occurred_at: datetime.datetime
    old_rank: int | None
    old_weight: float | None
    reason: None | str
    replaced_symbol: None | str
    request_id: None | str
    symbol: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        actor = self.actor

        details = self.details.to_dict()

        id = self.id

        new_rank: int | None
        new_rank = self.new_rank

        new_weight: float | None
        new_weight = self.new_weight

        occurred_at = self.occurred_at.isoformat()

        old_rank: int | None
        old_rank = self.old_rank

        old_weight: float | None
        old_weight = self.old_weight

        reason: None | str
        reason = self.reason

        replaced_symbol: None | str
        replaced_symbol = self.replaced_symbol

        request_id: None | str
        request_id = self.request_id

        symbol: None | str
        symbol = self.symbol

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "actor": actor,
                "details": details,
                "id": id,
                "new_rank": new_rank,
                "new_weight": new_weight,
                "occurred_at": occurred_at,
                "old_rank": old_rank,
                "old_weight": old_weight,
                "reason": reason,
                "replaced_symbol": replaced_symbol,
                "request_id": request_id,
                "symbol": symbol,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.history_read_details import HistoryReadDetails  # noqa: PLC0415

        d = dict(src_dict)
        action = d.pop("action")

        actor = d.pop("actor")

        details = HistoryReadDetails.from_dict(d.pop("details"))

        id = d.pop("id")

        def _parse_new_rank(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        new_rank = _parse_new_rank(d.pop("new_rank"))

        def _parse_new_weight(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        new_weight = _parse_new_weight(d.pop("new_weight"))

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        def _parse_old_rank(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        old_rank = _parse_old_rank(d.pop("old_rank"))

        def _parse_old_weight(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        old_weight = _parse_old_weight(d.pop("old_weight"))

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        def _parse_replaced_symbol(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        replaced_symbol = _parse_replaced_symbol(d.pop("replaced_symbol"))

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        def _parse_symbol(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        symbol = _parse_symbol(d.pop("symbol"))

        history_read = cls(
            action=action,
            actor=actor,
            details=details,
            id=id,
            new_rank=new_rank,
            new_weight=new_weight,
            occurred_at=occurred_at,
            old_rank=old_rank,
            old_weight=old_weight,
            reason=reason,
            replaced_symbol=replaced_symbol,
            request_id=request_id,
            symbol=symbol,
        )

        history_read.additional_properties = d
        return history_read

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
