from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="LiveFigures")


@_attrs_define
class LiveFigures:
    """One book over a window, after costs; fractions, None where undefined.

    Attributes:
        cagr (float | None):
        fees (float | None): Paid in the window, as a fraction of the start.
        max_drawdown (float | None):
        sharpe (float | None):
        total_return (float | None):
        turnover (float | None): Mean sum of |weight change| per decision.
        volatility (float | None):
    """

    cagr: float | None
    fees: float | None
    max_drawdown: float | None
    sharpe: float | None
    total_return: float | None
    turnover: float | None
    volatility: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cagr: float | None
        cagr = self.cagr

        fees: float | None
        fees = self.fees

        max_drawdown: float | None
        max_drawdown = self.max_drawdown

        sharpe: float | None
        sharpe = self.sharpe

        total_return: float | None
        total_return = self.total_return

        turnover: float | None
        turnover = self.turnover

        volatility: float | None
        volatility = self.volatility

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cagr": cagr,
                "fees": fees,
                "max_drawdown": max_drawdown,
                "sharpe": sharpe,
                "total_return": total_return,
                "turnover": turnover,
                "volatility": volatility,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_cagr(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        cagr = _parse_cagr(d.pop("cagr"))

        def _parse_fees(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        fees = _parse_fees(d.pop("fees"))

        def _parse_max_drawdown(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        max_drawdown = _parse_max_drawdown(d.pop("max_drawdown"))

        def _parse_sharpe(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        sharpe = _parse_sharpe(d.pop("sharpe"))

        def _parse_total_return(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        total_return = _parse_total_return(d.pop("total_return"))

        def _parse_turnover(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        turnover = _parse_turnover(d.pop("turnover"))

        def _parse_volatility(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        volatility = _parse_volatility(d.pop("volatility"))

        live_figures = cls(
            cagr=cagr,
            fees=fees,
            max_drawdown=max_drawdown,
            sharpe=sharpe,
            total_return=total_return,
            turnover=turnover,
            volatility=volatility,
        )

        live_figures.additional_properties = d
        return live_figures

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
