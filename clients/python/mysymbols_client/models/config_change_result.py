from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.setting_change_read import SettingChangeRead
    from ..models.setting_read import SettingRead


T = TypeVar("T", bound="ConfigChangeResult")


@_attrs_define
class ConfigChangeResult:
    """
    Attributes:
        changed (list[SettingChangeRead]): The settings whose value changed (each with one audit row).
        settings (list[SettingRead]):
    """

    changed: list[SettingChangeRead]
    settings: list[SettingRead]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        changed = []
        for changed_item_data in self.changed:
            changed_item = changed_item_data.to_dict()
            changed.append(changed_item)

        settings = []
        for settings_item_data in self.settings:
            settings_item = settings_item_data.to_dict()
            settings.append(settings_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "changed": changed,
                "settings": settings,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.setting_change_read import SettingChangeRead  # noqa: PLC0415
        from ..models.setting_read import SettingRead  # noqa: PLC0415

        d = dict(src_dict)
        changed = []
        _changed = d.pop("changed")
        for changed_item_data in _changed:
            changed_item = SettingChangeRead.from_dict(changed_item_data)

            changed.append(changed_item)

        settings = []
        _settings = d.pop("settings")
        for settings_item_data in _settings:
            settings_item = SettingRead.from_dict(settings_item_data)

            settings.append(settings_item)

        config_change_result = cls(
            changed=changed,
            settings=settings,
        )

        config_change_result.additional_properties = d
        return config_change_result

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
