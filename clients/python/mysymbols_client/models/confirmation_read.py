from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ConfirmationRead")


@_attrs_define
class ConfirmationRead:
    """
    Attributes:
        lead (float | None):
        member_score (float | None):
        outsider_score (float | None):
        run_id (int):
    """

    lead: float | None
    member_score: float | None
    outsider_score: float | None
    run_id: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        lead: float | None
        lead = self.lead

        member_score: float | None
        member_score = self.member_score

        outsider_score: float | None
        outsider_score = self.outsider_score

        run_id = self.run_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "lead": lead,
                "member_score": member_score,
                "outsider_score": outsider_score,
                "run_id": run_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_lead(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        lead = _parse_lead(d.pop("lead"))

        def _parse_member_score(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        member_score = _parse_member_score(d.pop("member_score"))

        def _parse_outsider_score(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        outsider_score = _parse_outsider_score(d.pop("outsider_score"))

        run_id = d.pop("run_id")

        confirmation_read = cls(
            lead=lead,
            member_score=member_score,
            outsider_score=outsider_score,
            run_id=run_id,
        )

        confirmation_read.additional_properties = d
        return confirmation_read

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
