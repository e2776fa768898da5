from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SyncResultRead")


@_attrs_define
class SyncResultRead:
    """
    Attributes:
        added (int):
        contracts (int):
        delisted (list[str]):
        duration_ms (float):
        eligible (int):
        relisted (list[str]):
        source (str):
        synced_at (datetime.datetime):
        updated (int):
    """

    added: int
    contracts: int
    delisted: list[str]
    duration_ms: float
    eligible: int
    relisted: list[str]
    source: str
    synced_at: datetime.datetime
    updated: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        added = self.added

        contracts = self.contracts

        delisted = self.delisted

        duration_ms = self.duration_ms

        eligible = self.eligible

        relisted = self.relisted

        source = self.source

        synced_at = self.synced_at.isoformat()

        updated = self.updated

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "added": added,
                "contracts": contracts,
                "delisted": delisted,
                "duration_ms": duration_ms,
                "eligible": eligible,
                "relisted": relisted,
                "source": source,
                "synced_at": synced_at,
                "updated": updated,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        added = d.pop("added")

        contracts = d.pop("contracts")

        delisted = cast(list[str], d.pop("delisted"))

        duration_ms = d.pop("duration_ms")

        eligible = d.pop("eligible")

        relisted = cast(list[str], d.pop("relisted"))

        source = d.pop("source")

        synced_at = datetime.datetime.fromisoformat(d.pop("synced_at"))

        updated = d.pop("updated")

        sync_result_read = cls(
            added=added,
            contracts=contracts,
            delisted=delisted,
            duration_ms=duration_ms,
            eligible=eligible,
            relisted=relisted,
            source=source,
            synced_at=synced_at,
            updated=updated,
        )

        sync_result_read.additional_properties = d
        return sync_result_read

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
