from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.signal_statistics_agents import SignalStatisticsAgents
    from ..models.signal_statistics_by_source import SignalStatisticsBySource
    from ..models.signal_statistics_by_status import SignalStatisticsByStatus
    from ..models.signal_statistics_by_type import SignalStatisticsByType


T = TypeVar("T", bound="SignalStatistics")


@_attrs_define
class SignalStatistics:
    """
    Attributes:
        agents (SignalStatisticsAgents): Per agent: votes by decision, weight.
        approval_rate (float | None): Approved among approved + rejected.
        average_processing_s (float | None):
        by_source (SignalStatisticsBySource):
        by_status (SignalStatisticsByStatus):
        by_type (SignalStatisticsByType):
        no_quorum (int): Rejected because too few agents could vote.
        total (int):
    """

    agents: SignalStatisticsAgents
    approval_rate: float | None
    average_processing_s: float | None
    by_source: SignalStatisticsBySource
    by_status: SignalStatisticsByStatus
    by_type: SignalStatisticsByType
    no_quorum: int
    total: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agents = self.agents.to_dict()

        approval_rate: float | None
        approval_rate = self.approval_rate

        average_processing_s: float | None
        average_processing_s = self.average_processing_s

        by_source = self.by_source.to_dict()

        by_status = self.by_status.to_dict()

        by_type = self.by_type.to_dict()

        no_quorum = self.no_quorum

        total = self.total

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agents": agents,
                "approval_rate": approval_rate,
                "average_processing_s": average_processing_s,
                "by_source": by_source,
                "by_status": by_status,
                "by_type": by_type,
                "no_quorum": no_quorum,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.signal_statistics_agents import SignalStatisticsAgents  # noqa: PLC0415
        from ..models.signal_statistics_by_source import SignalStatisticsBySource  # noqa: PLC0415
        from ..models.signal_statistics_by_status import SignalStatisticsByStatus  # noqa: PLC0415
        from ..models.signal_statistics_by_type import SignalStatisticsByType  # noqa: PLC0415

        d = dict(src_dict)
        agents = SignalStatisticsAgents.from_dict(d.pop("agents"))

        def _parse_approval_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        approval_rate = _parse_approval_rate(d.pop("approval_rate"))

        def _parse_average_processing_s(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        average_processing_s = _parse_average_processing_s(d.pop("average_processing_s"))

        by_source = SignalStatisticsBySource.from_dict(d.pop("by_source"))

        by_status = SignalStatisticsByStatus.from_dict(d.pop("by_status"))

        by_type = SignalStatisticsByType.from_dict(d.pop("by_type"))

        no_quorum = d.pop("no_quorum")

        total = d.pop("total")

        signal_statistics = cls(
            agents=agents,
            approval_rate=approval_rate,
            average_processing_s=average_processing_s,
            by_source=by_source,
            by_status=by_status,
            by_type=by_type,
            no_quorum=no_quorum,
            total=total,
        )

        signal_statistics.additional_properties = d
        return signal_statistics

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
