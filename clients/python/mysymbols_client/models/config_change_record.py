from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ConfigChangeRecord")


@_attrs_define
class ConfigChangeRecord:
    """
    Attributes:
        actor (str): The API key's name.
        changed_at (datetime.datetime):
        id (int):
        key (str):
        new_value (Any):
        old_value (Any):
        request_id (None | str):
    """

    actor: str
    changed_at: datetime.datetime
    id: int
    key: str
    new_value: Any
    old_value: Any
    request_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        actor = self.actor

        changed_at = self.changed_at.isoformat()

        id = self.id

        key = self.key

        new_value = self.new_value

        old_value = self.old_value

        request_id: None | str
        request_id = self.request_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "actor": actor,
                "changed_at": changed_at,
                "id": id,
                "key": key,
                "new_value": new_value,
                "old_value": old_value,
                "request_id": request_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        actor = d.pop("actor")

        changed_at = datetime.datetime.fromisoformat(d.pop("changed_at"))

        id = d.pop("id")

        key = d.pop("key")

        new_value = d.pop("new_value")

        old_value = d.pop("old_value")

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        config_change_record = cls(
            actor=actor,
            changed_at=changed_at,
            id=id,
            key=key,
            new_value=new_value,
            old_value=old_value,
            request_id=request_id,
        )

        config_change_record.additional_properties = d
        return config_change_record

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
