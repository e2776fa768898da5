from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.component_score_read import ComponentScoreRead


T = TypeVar("T", bound="SymbolScoresEntry")


@_attrs_define
class SymbolScoresEntry:
    """
    Attributes:
        run_id (int):
        scored_at (datetime.datetime):
        scores (list[ComponentScoreRead]):
    """

    run_id: int
    scored_at: datetime.datetime
    scores: list[ComponentScoreRead]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        run_id = self.run_id

        scored_at = self.scored_at.isoformat()

        scores = []
        for scores_item_data in self.scores:
            scores_item = scores_item_data.to_dict()
            scores.append(scores_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "run_id": run_id,
                "scored_at": scored_at,
                "scores": scores,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.component_score_read import ComponentScoreRead  # noqa: PLC0415

        d = dict(src_dict)
        run_id = d.pop("run_id")

        scored_at = datetime.datetime.fromisoformat(d.pop("scored_at"))

        scores = []
        _scores = d.pop("scores")
        for scores_item_data in _scores:
            scores_item = ComponentScoreRead.from_dict(scores_item_data)

            scores.append(scores_item)

        symbol_scores_entry = cls(
            run_id=run_id,
            scored_at=scored_at,
            scores=scores,
        )

        symbol_scores_entry.additional_properties = d
        return symbol_scores_entry

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
