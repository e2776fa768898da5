from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.statistics_read_composite_summary import StatisticsReadCompositeSummary
    from ..models.statistics_read_sectors import StatisticsReadSectors
    from ..models.statistics_read_weights import StatisticsReadWeights


T = TypeVar("T", bound="StatisticsRead")


@_attrs_define
class StatisticsRead:
    """
    Attributes:
        composite_summary (StatisticsReadCompositeSummary): min, max and mean of the members' latest composite scores.
        effective_members (float | None): 1 / HHI.
        herfindahl (float | None): Sum of squared weight fractions.
        max_symbols (int):
        member_count (int):
        sectors (StatisticsReadSectors):
        weights (StatisticsReadWeights):
    """

    composite_summary: StatisticsReadCompositeSummary
    effective_members: float | None
    herfindahl: float | None
    max_symbols: int
    member_count: int
    sectors: StatisticsReadSectors
    weights: StatisticsReadWeights
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        composite_summary = self.composite_summary.to_dict()

        effective_members: float | None
        effective_members = self.effective_members

        herfindahl: float | None
        herfindahl = self.herfindahl

        max_symbols = self.max_symbols

        member_count = self.member_count

        sectors = self.sectors.to_dict()

        weights = self.weights.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "composite_summary": composite_summary,
                "effective_members": effective_members,
                "herfindahl": herfindahl,
                "max_symbols": max_symbols,
                "member_count": member_count,
                "sectors": sectors,
                "weights": weights,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.statistics_read_composite_summary import StatisticsReadCompositeSummary  # noqa: PLC0415
        from ..models.statistics_read_sectors import StatisticsReadSectors  # noqa: PLC0415
        from ..models.statistics_read_weights import StatisticsReadWeights  # noqa: PLC0415

        d = dict(src_dict)
        composite_summary = StatisticsReadCompositeSummary.from_dict(d.pop("composite_summary"))

        def _parse_effective_members(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        effective_members = _parse_effective_members(d.pop("effective_members"))

        def _parse_herfindahl(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        herfindahl = _parse_herfindahl(d.pop("herfindahl"))

        max_symbols = d.pop("max_symbols")

        member_count = d.pop("member_count")

        sectors = StatisticsReadSectors.from_dict(d.pop("sectors"))

        weights = StatisticsReadWeights.from_dict(d.pop("weights"))

        statistics_read = cls(
            composite_summary=composite_summary,
            effective_members=effective_members,
            herfindahl=herfindahl,
            max_symbols=max_symbols,
            member_count=member_count,
            sectors=sectors,
            weights=weights,
        )

        statistics_read.additional_properties = d
        return statistics_read

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
