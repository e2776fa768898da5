from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.as_run_record_equity import AsRunRecordEquity
    from ..models.as_run_record_windows import AsRunRecordWindows
    from ..models.replacement_outcomes import ReplacementOutcomes
    from ..models.segment import Segment


T = TypeVar("T", bound="AsRunRecord")


@_attrs_define
class AsRunRecord:
    """The real portfolio as it was run, whoever changed it, marked hourly after costs.

    Attributes:
        decisions (int): Decisions marked.
        equity (AsRunRecordEquity): [epoch ms, equity] of as_run (the real portfolio, whoever changed it), at most 1 000
            points each.
        gap_hours (int): Hours marked while a symbol the portfolio held had no candle (carried).
        hours (int): Hours marked (0 before the first).
        hours_to_mark (int): Hours between the last marked one (or the hour before inception) and the newest one the
            stored candles allow marking: what the next update will mark.
        inception (datetime.datetime): The hour of the first decision (the first audit row's trading hour): equity 1.0
            there.
        marked_to (datetime.datetime | None): The last hour marked; null before the first.
        replacements (ReplacementOutcomes): Each replacement's newcomer return minus the replaced member's over the
            horizon.
        segments (list[Segment]):
        updated_at (datetime.datetime | None): The last update; null before the first.
        windows (AsRunRecordWindows): since_inception, last_30d and last_90d.
    """

    decisions: int
    equity: AsRunRecordEquity
    gap_hours: int
    hours: int
    hours_to_mark: int
    inception: datetime.datetime
    marked_to: datetime.datetime | None
    replacements: ReplacementOutcomes
    segments: list[Segment]
    updated_at: datetime.datetime | None
    windows: AsRunRecordWindows
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        decisions = self.decisions

        equity = self.equity.to_dict()

        gap_hours = self.gap_hours

        hours = self.hours

        hours_to_mark = self.hours_to_mark

        inception = self.inception.isoformat()

        marked_to: None | str
        if isinstance(self.marked_to, datetime.datetime):
            marked_to = self.marked_to.isoformat()
        else:
            marked_to = self.marked_to

        replacements = self.replacements.to_dict()

        segments = []
        for segments_item_data in self.segments:
            segments_item = segments_item_data.to_dict()
            segments.append(segments_item)

        updated_at: None | str
        if isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        windows = self.windows.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "decisions": decisions,
                "equity": equity,
                "gap_hours": gap_hours,
                "hours": hours,
                "hours_to_mark": hours_to_mark,
                "inception": inception,
                "marked_to": marked_to,
                "replacements": replacements,
                "segments": segments,
                "updated_at": updated_at,
                "windows": windows,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.as_run_record_equity import AsRunRecordEquity  # noqa: PLC0415
        from ..models.as_run_record_windows import AsRunRecordWindows  # noqa: PLC0415
        from ..models.replacement_outcomes import ReplacementOutcomes  # noqa: PLC0415
        from ..models.segment import Segment  # noqa: PLC0415

        d = dict(src_dict)
        decisions = d.pop("decisions")

        equity = AsRunRecordEquity.from_dict(d.pop("equity"))

        gap_hours = d.pop("gap_hours")

        hours = d.pop("hours")

        hours_to_mark = d.pop("hours_to_mark")

        inception = datetime.datetime.fromisoformat(d.pop("inception"))

        def _parse_marked_to(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                marked_to_type_0 = datetime.datetime.fromisoformat(data)

                return marked_to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        marked_to = _parse_marked_to(d.pop("marked_to"))

        replacements = ReplacementOutcomes.from_dict(d.pop("replacements"))

        segments = []
        _segments = d.pop("segments")
        for segments_item_data in _segments:
            segments_item = Segment.from_dict(segments_item_data)

            segments.append(segments_item)

        def _parse_updated_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        updated_at = _parse_updated_at(d.pop("updated_at"))

        windows = AsRunRecordWindows.from_dict(d.pop("windows"))

        as_run_record = cls(
            decisions=decisions,
            equity=equity,
            gap_hours=gap_hours,
            hours=hours,
            hours_to_mark=hours_to_mark,
            inception=inception,
            marked_to=marked_to,
            replacements=replacements,
            segments=segments,
            updated_at=updated_at,
            windows=windows,
        )

        as_run_record.additional_properties = d
        return as_run_record

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
