from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.job_run_read import JobRunRead


T = TypeVar("T", bound="JobRead")


@_attrs_define
class JobRead:
    """A background job: what it does, its schedule here, and its newest runs.

    Attributes:
        description (str):
        enabled (bool): Scheduled on this replica (the scheduler and the job on).
        interval_key (str): The `system_configuration` key holding its period.
        interval_s (float): Its period (`interval_key`, or the override).
        last_runs (list[JobRunRead]): Its newest runs, newest first.
        name (str):
        next_tick (datetime.datetime | None): Its next aligned tick (before jitter); none when not scheduled here.
    """

    description: str
    enabled: bool
    interval_key: str
    interval_s: float
    last_runs: list[JobRunRead]
    name: str
    next_tick: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        description = self.description

        enabled = self.enabled

        interval_key = self.interval_key

        interval_s = self.interval_s

        last_runs = []
        for last_runs_item_data in self.last_runs:
            last_runs_item = last_runs_item_data.to_dict()
            last_runs.append(last_runs_item)

        name = self.name

        next_tick: None | str
        if isinstance(self.next_tick, datetime.datetime):
            next_tick = self.next_tick.isoformat()
        else:
            next_tick = self.next_tick

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "description": description,
                "enabled": enabled,
                "interval_key": interval_key,
                "interval_s": interval_s,
                "last_runs": last_runs,
                "name": name,
                "next_tick": next_tick,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_run_read import JobRunRead  # noqa: PLC0415

        d = dict(src_dict)
        description = d.pop("description")

        enabled = d.pop("enabled")

        interval_key = d.pop("interval_key")

        interval_s = d.pop("interval_s")

        last_runs = []
        _last_runs = d.pop("last_runs")
        for last_runs_item_data in _last_runs:
            last_runs_item = JobRunRead.from_dict(last_runs_item_data)

            last_runs.append(last_runs_item)

        name = d.pop("name")

        def _parse_next_tick(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_tick_type_0 = datetime.datetime.fromisoformat(data)

                return next_tick_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_tick = _parse_next_tick(d.pop("next_tick"))

        job_read = cls(
            description=description,
            enabled=enabled,
            interval_key=interval_key,
            interval_s=interval_s,
            last_runs=last_runs,
            name=name,
            next_tick=next_tick,
        )

        job_read.additional_properties = d
        return job_read

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
