from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.timeline_read_source import TimelineReadSource, check_timeline_read_source

if TYPE_CHECKING:
    from ..models.timeline_row import TimelineRow


T = TypeVar("T", bound="TimelineRead")


@_attrs_define
class TimelineRead:
    """
    Attributes:
        clamped_to_now (bool): True when the `to` asked for lay beyond now: the range ends now instead (`to` is now, and
            `from` too when it also lay beyond, so a range wholly in the future holds no rows): nothing is held in the
            future. Always false for a replay.
        columns (list[str]): The rows' fields, in the CSV's column order.
        from_ (datetime.datetime):
        rows (list[TimelineRow]): By interval, then rank; tiling the range.
        source (TimelineReadSource): The audit trail, or a replay's decisions.
        to (datetime.datetime):
    """

    clamped_to_now: bool
    columns: list[str]
    from_: datetime.datetime
    rows: list[TimelineRow]
    source: TimelineReadSource
    to: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        clamped_to_now = self.clamped_to_now

        columns = self.columns

        from_ = self.from_.isoformat()

        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        source: str = self.source

        to = self.to.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "clamped_to_now": clamped_to_now,
                "columns": columns,
                "from": from_,
                "rows": rows,
                "source": source,
                "to": to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.timeline_row import TimelineRow  # noqa: PLC0415

        d = dict(src_dict)
        clamped_to_now = d.pop("clamped_to_now")

        columns = cast(list[str], d.pop("columns"))

        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = TimelineRow.from_dict(rows_item_data)

            rows.append(rows_item)

        source = check_timeline_read_source(d.pop("source"))

        to = datetime.datetime.fromisoformat(d.pop("to"))

        timeline_read = cls(
            clamped_to_now=clamped_to_now,
            columns=columns,
            from_=from_,
            rows=rows,
            source=source,
            to=to,
        )

        timeline_read.additional_properties = d
        return timeline_read

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
