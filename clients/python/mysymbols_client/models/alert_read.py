from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.alert_read_details import AlertReadDetails


T = TypeVar("T", bound="AlertRead")


@_attrs_define
class AlertRead:
    """
    Attributes:
        acknowledged_at (datetime.datetime | None):
        acknowledged_by (None | str):
        details (AlertReadDetails):
        fingerprint (str):
        first_seen_at (datetime.datetime):
        id (int):
        kind (str):
        last_seen_at (datetime.datetime):
        message (str):
        occurrences (int):
        resolved_at (datetime.datetime | None):
        severity (str):
        status (str):
        symbol (None | str):
    """

    acknowledged_at: datetime.datetime | None
    acknowledged_by: None | str
    details: AlertReadDetails
    fingerprint: str
    first_seen_at: datetime.datetime
    id: int
    kind: str
    last_seen_at: datetime.datetime
    message: str
    occurrences: int
    resolved_at: datetime.datetime | None
    severity: str
    status: str
    symbol: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        acknowledged_at: None | str
        if isinstance(self.acknowledged_at, datetime.datetime):
            acknowledged_at = self.acknowledged_at.isoformat()
        else:
            acknowledged_at = self.acknowledged_at

        acknowledged_by: None | str
        acknowledged_by = self.acknowledged_by

        details = self.details.to_dict()

        fingerprint = self.fingerprint

        first_seen_at = self.first_seen_at.isoformat()

        id = self.id

        kind = self.kind

        last_seen_at = self.last_seen_at.isoformat()

        message = self.message

        occurrences = self.occurrences

        resolved_at: None | str
        if isinstance(self.resolved_at, datetime.datetime):
            resolved_at = self.resolved_at.isoformat()
        else:
            resolved_at = self.resolved_at

        severity = self.severity

        status = self.status

        symbol: None | str
        symbol = self.symbol

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "acknowledged_at": acknowledged_at,
                "acknowledged_by": acknowledged_by,
                "details": details,
                "fingerprint": fingerprint,
                "first_seen_at": first_seen_at,
                "id": id,
                "kind": kind,
                "last_seen_at": last_seen_at,
                "message": message,
                "occurrences": occurrences,
                "resolved_at": resolved_at,
                "severity": severity,
                "status": status,
                "symbol": symbol,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.alert_read_details import AlertReadDetails  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_acknowledged_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                acknowledged_at_type_0 = datetime.datetime.fromisoformat(data)

                return acknowledged_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        acknowledged_at = _parse_acknowledged_at(d.pop("acknowledged_at"))

        def _parse_acknowledged_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        acknowledged_by = _parse_acknowledged_by(d.pop("acknowledged_by"))

        details = AlertReadDetails.from_dict(d.pop("details"))

        fingerprint = d.pop("fingerprint")

        first_seen_at = datetime.datetime.fromisoformat(d.pop("first_seen_at"))

        id = d.pop("id")

        kind = d.pop("kind")

        last_seen_at = datetime.datetime.fromisoformat(d.pop("last_seen_at"))

        message = d.pop("message")

        occurrences = d.pop("occurrences")

        def _parse_resolved_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolved_at_type_0 = datetime.datetime.fromisoformat(data)

                return resolved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at"))

        severity = d.pop("severity")

        status = d.pop("status")

        def _parse_symbol(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        symbol = _parse_symbol(d.pop("symbol"))

        alert_read = cls(
            acknowledged_at=acknowledged_at,
            acknowledged_by=acknowledged_by,
            details=details,
            fingerprint=fingerprint,
            first_seen_at=first_seen_at,
            id=id,
            kind=kind,
            last_seen_at=last_seen_at,
            message=message,
            occurrences=occurrences,
            resolved_at=resolved_at,
            severity=severity,
            status=status,
            symbol=symbol,
        )

        alert_read.additional_properties = d
        return alert_read

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
