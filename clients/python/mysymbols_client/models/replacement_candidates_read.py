from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.recommendation_read import RecommendationRead


T = TypeVar("T", bound="ReplacementCandidatesRead")


@_attrs_define
class ReplacementCandidatesRead:
    """
    Attributes:
        evaluated_at (datetime.datetime):
        recommendations (list[RecommendationRead]):
        run_ids (list[int]): Scoring runs the hysteresis read, newest first.
    """

    evaluated_at: datetime.datetime
    recommendations: list[RecommendationRead]
    run_ids: list[int]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        evaluated_at = self.evaluated_at.isoformat()

        recommendations = []
        for recommendations_item_data in self.recommendations:
            recommendations_item = recommendations_item_data.to_dict()
            recommendations.append(recommendations_item)

        run_ids = self.run_ids

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "evaluated_at": evaluated_at,
                "recommendations": recommendations,
                "run_ids": run_ids,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.recommendation_read import RecommendationRead  # noqa: PLC0415

        d = dict(src_dict)
        evaluated_at = datetime.datetime.fromisoformat(d.pop("evaluated_at"))

        recommendations = []
        _recommendations = d.pop("recommendations")
        for recommendations_item_data in _recommendations:
            recommendations_item = RecommendationRead.from_dict(recommendations_item_data)

            recommendations.append(recommendations_item)

        run_ids = cast(list[int], d.pop("run_ids"))

        replacement_candidates_read = cls(
            evaluated_at=evaluated_at,
            recommendations=recommendations,
            run_ids=run_ids,
        )

        replacement_candidates_read.additional_properties = d
        return replacement_candidates_read

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
