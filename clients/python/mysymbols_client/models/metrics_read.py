from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.market_data_read import MarketDataRead
    from ..models.risk_report_read import RiskReportRead


T = TypeVar("T", bound="MetricsRead")


@_attrs_define
class MetricsRead:
    """
    Attributes:
        members_used (list[str]):
        observations (int):
        report (None | RiskReportRead):
        window_hours (int):
        market_data (MarketDataRead | None | Unset): Where the candles behind these figures came from; null: no figure.
        periods (str | Unset):  Default: 'hourly returns of the current weights, annualised over 8760 h'.
    """

    members_used: list[str]
    observations: int
    report: None | RiskReportRead
    window_hours: int
    market_data: MarketDataRead | None | Unset = UNSET
    periods: str | Unset = "hourly returns of the current weights, annualised over 8760 h"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.market_data_read import MarketDataRead  # noqa: PLC0415
        from ..models.risk_report_read import RiskReportRead  # noqa: PLC0415

        members_used = self.members_used

        observations = self.observations

        report: dict[str, Any] | None
        if isinstance(self.report, RiskReportRead):
            report = self.report.to_dict()
        else:
            report = self.report

        window_hours = self.window_hours

        market_data: dict[str, Any] | None | Unset
        if isinstance(self.market_data, Unset):
            market_data = UNSET
        elif isinstance(self.market_data, MarketDataRead):
            market_data = self.market_data.to_dict()
        else:
            market_data = self.market_data

        periods = self.periods

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "members_used": members_used,
                "observations": observations,
                "report": report,
                "window_hours": window_hours,
            }
        )
        if market_data is not UNSET:
            field_dict["market_data"] = market_data
        if periods is not UNSET:
            field_dict["periods"] = periods

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.market_data_read import MarketDataRead  # noqa: PLC0415
        from ..models.risk_report_read import RiskReportRead  # noqa: PLC0415

        d = dict(src_dict)
        members_used = cast(list[str], d.pop("members_used"))

        observations = d.pop("observations")

        def _parse_report(data: object) -> None | RiskReportRead:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                report_type_0 = RiskReportRead.from_dict(data)

                return report_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RiskReportRead, data)

        report = _parse_report(d.pop("report"))

        window_hours = d.pop("window_hours")

        def _parse_market_data(data: object) -> MarketDataRead | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                market_data_type_0 = MarketDataRead.from_dict(data)

                return market_data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MarketDataRead | None | Unset, data)

        market_data = _parse_market_data(d.pop("market_data", UNSET))

        periods = d.pop("periods", UNSET)

        metrics_read = cls(
            members_used=members_used,
            observations=observations,
            report=report,
            window_hours=window_hours,
            market_data=market_data,
            periods=periods,
        )

        metrics_read.additional_properties = d
        return metrics_read

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
