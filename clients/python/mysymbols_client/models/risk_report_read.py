from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RiskReportRead")


@_attrs_define
class RiskReportRead:
    """
    Attributes:
        calmar (float | None):
        es (float):
        level (float):
        max_drawdown (float):
        mean (float):
        observations (int):
        sharpe (float | None):
        sortino (float | None):
        var (float):
        volatility (float | None):
    """

    calmar: float | None
    es: float
    level: float
    max_drawdown: float
    mean: float
    observations: int
    sharpe: float | None
    sortino: float | None
    var: float
    volatility: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        calmar: float | None
        calmar = self.calmar

        es = self.es

        level = self.level

        max_drawdown = self.max_drawdown

        mean = self.mean

        observations = self.observations

        sharpe: float | None
        sharpe = self.sharpe

        sortino: float | None
        sortino = self.sortino

        var = self.var

        volatility: float | None
        volatility = self.volatility

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "calmar": calmar,
                "es": es,
                "level": level,
                "max_drawdown": max_drawdown,
                "mean": mean,
                "observations": observations,
                "sharpe": sharpe,
                "sortino": sortino,
                "var": var,
                "volatility": volatility,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_calmar(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        calmar = _parse_calmar(d.pop("calmar"))

        es = d.pop("es")

        level = d.pop("level")

        max_drawdown = d.pop("max_drawdown")

        mean = d.pop("mean")

        observations = d.pop("observations")

        def _parse_sharpe(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        sharpe = _parse_sharpe(d.pop("sharpe"))

        def _parse_sortino(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        sortino = _parse_sortino(d.pop("sortino"))

        var = d.pop("var")

        def _parse_volatility(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        volatility = _parse_volatility(d.pop("volatility"))

        risk_report_read = cls(
            calmar=calmar,
            es=es,
            level=level,
            max_drawdown=max_drawdown,
            mean=mean,
            observations=observations,
            sharpe=sharpe,
            sortino=sortino,
            var=var,
            volatility=volatility,
        )

        risk_report_read.additional_properties = d
        return risk_report_read

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
