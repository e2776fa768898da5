from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.component_score_read_breakdown import ComponentScoreReadBreakdown


T = TypeVar("T", bound="ComponentScoreRead")


@_attrs_define
class ComponentScoreRead:
    """
    Attributes:
        breakdown (ComponentScoreReadBreakdown): Per metric: raw value, normalised value (0-100), weight and
            contribution.
        component (str):
        confidence (float):
        score (float):
    """

    breakdown: ComponentScoreReadBreakdown
    component: str
    confidence: float
    score: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        breakdown = self.breakdown.to_dict()

        component = self.component

        confidence = self.confidence

        score = self.score

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "breakdown": breakdown,
                "component": component,
                "confidence": confidence,
                "score": score,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.component_score_read_breakdown import ComponentScoreReadBreakdown  # noqa: PLC0415

        d = dict(src_dict)
        breakdown = ComponentScoreReadBreakdown.from_dict(d.pop("breakdown"))

        component = d.pop("component")

        confidence = d.pop("confidence")

        score = d.pop("score")

        component_score_read = cls(
            breakdown=breakdown,
            component=component,
            confidence=confidence,
            score=score,
        )

        component_score_read.additional_properties = d
        return component_score_read

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
