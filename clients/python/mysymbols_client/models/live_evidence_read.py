from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.live_evidence_read_equity import LiveEvidenceReadEquity
    from ..models.live_evidence_read_windows import LiveEvidenceReadWindows
    from ..models.replacement_outcomes import ReplacementOutcomes
    from ..models.segment import Segment


T = TypeVar("T", bound="LiveEvidenceRead")


@_attrs_define
class LiveEvidenceRead:
    """
    Attributes:
        decisions (int):
        equity (LiveEvidenceReadEquity): [epoch ms, equity] of policy, btc_hold, equal_weight, top_volume, momentum and
            random, at most 1 000 points each.
        gap_hours (int): Hours marked while a symbol the policy held had no candle (carried).
        hours (int):
        inception (datetime.datetime): The hour of the first decision: equity 1.0 there.
        marked_to (datetime.datetime): The last hour marked.
        replacements (ReplacementOutcomes): Each replacement's newcomer return minus the replaced member's over the
            horizon.
        segments (list[Segment]):
        updated_at (datetime.datetime):
        windows (LiveEvidenceReadWindows): since_inception, last_30d and last_90d.
    """

    decisions: int
    equity: LiveEvidenceReadEquity
    gap_hours: int
    hours: int
    inception: datetime.datetime
    marked_to: datetime.datetime
    replacements: ReplacementOutcomes
    segments: list[Segment]
    updated_at: datetime.datetime
    windows: LiveEvidenceReadWindows
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        decisions = self.decisions

        equity = self.equity.to_dict()

        gap_hours = self.gap_hours

        hours = self.hours

        inception = self.inception.isoformat()

        marked_to = self.marked_to.isoformat()

        replacements = self.replacements.to_dict()

        segments = []
        for segments_item_data in self.segments:
            segments_item = segments_item_data.to_dict()
            segments.append(segments_item)

        updated_at = self.updated_at.isoformat()

        windows = self.windows.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "decisions": decisions,
                "equity": equity,
                "gap_hours": gap_hours,
                "hours": hours,
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
        from ..models.live_evidence_read_equity import LiveEvidenceReadEquity  # noqa: PLC0415
        from ..models.live_evidence_read_windows import LiveEvidenceReadWindows  # noqa: PLC0415
        from ..models.replacement_outcomes import ReplacementOutcomes  # noqa: PLC0415
        from ..models.segment import Segment  # noqa: PLC0415

        d = dict(src_dict)
        decisions = d.pop("decisions")

        equity = LiveEvidenceReadEquity.from_dict(d.pop("equity"))

        gap_hours = d.pop("gap_hours")

        hours = d.pop("hours")

        inception = datetime.datetime.fromisoformat(d.pop("inception"))

        marked_to = datetime.datetime.fromisoformat(d.pop("marked_to"))

        replacements = ReplacementOutcomes.from_dict(d.pop("replacements"))

        segments = []
        _segments = d.pop("segments")
        for segments_item_data in _segments:
            segments_item = Segment.from_dict(segments_item_data)

            segments.append(segments_item)

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        windows = LiveEvidenceReadWindows.from_dict(d.pop("windows"))

        live_evidence_read = cls(
            decisions=decisions,
            equity=equity,
            gap_hours=gap_hours,
            hours=hours,
            inception=inception,
            marked_to=marked_to,
            replacements=replacements,
            segments=segments,
            updated_at=updated_at,
            windows=windows,
        )

        live_evidence_read.additional_properties = d
        return live_evidence_read

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
