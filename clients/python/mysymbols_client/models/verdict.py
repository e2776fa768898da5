from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Verdict")


@_attrs_define
class Verdict:
    """
    Attributes:
        best_baseline (str):
        best_baseline_sharpe (float | None):
        calibrated_beats_default (bool):
        calibrated_beats_every_baseline (bool):
        calibrated_sharpe (float | None): Re-chosen on each training window.
        default_beats_every_baseline (bool):
        default_sharpe (float | None): The configuration in force.
        measure (str):
    """

    best_baseline: str
    best_baseline_sharpe: float | None
    calibrated_beats_default: bool
    calibrated_beats_every_baseline: bool
    calibrated_sharpe: float | None
    default_beats_every_baseline: bool
    default_sharpe: float | None
    measure: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        best_baseline = self.best_baseline

        best_baseline_sharpe: float | None
        best_baseline_sharpe = self.best_baseline_sharpe

        calibrated_beats_default = self.calibrated_beats_default

        calibrated_beats_every_baseline = self.calibrated_beats_every_baseline

        calibrated_sharpe: float | None
        calibrated_sharpe = self.calibrated_sharpe

        default_beats_every_baseline = self.default_beats_every_baseline

        default_sharpe: float | None
        default_sharpe = self.default_sharpe

        measure = self.measure

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "best_baseline": best_baseline,
                "best_baseline_sharpe": best_baseline_sharpe,
                "calibrated_beats_default": calibrated_beats_default,
                "calibrated_beats_every_baseline": calibrated_beats_every_baseline,
                "calibrated_sharpe": calibrated_sharpe,
                "default_beats_every_baseline": default_beats_every_baseline,
                "default_sharpe": default_sharpe,
                "measure": measure,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        best_baseline = d.pop("best_baseline")

        def _parse_best_baseline_sharpe(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        best_baseline_sharpe = _parse_best_baseline_sharpe(d.pop("best_baseline_sharpe"))

        calibrated_beats_default = d.pop("calibrated_beats_default")

        calibrated_beats_every_baseline = d.pop("calibrated_beats_every_baseline")

        def _parse_calibrated_sharpe(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        calibrated_sharpe = _parse_calibrated_sharpe(d.pop("calibrated_sharpe"))

        default_beats_every_baseline = d.pop("default_beats_every_baseline")

        def _parse_default_sharpe(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        default_sharpe = _parse_default_sharpe(d.pop("default_sharpe"))

        measure = d.pop("measure")

        verdict = cls(
            best_baseline=best_baseline,
            best_baseline_sharpe=best_baseline_sharpe,
            calibrated_beats_default=calibrated_beats_default,
            calibrated_beats_every_baseline=calibrated_beats_every_baseline,
            calibrated_sharpe=calibrated_sharpe,
            default_beats_every_baseline=default_beats_every_baseline,
            default_sharpe=default_sharpe,
            measure=measure,
        )

        verdict.additional_properties = d
        return verdict

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
