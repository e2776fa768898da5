from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.confirmation_read import ConfirmationRead


T = TypeVar("T", bound="RecommendationRead")


@_attrs_define
class RecommendationRead:
    """
    Attributes:
        actionability (str): Its state in the one wording the dashboard, the command line and the demo show: `actionable
            now`; `not actionable before 2026-11-29 09:00 UTC` (`not_before` to the minute); `not actionable: no outsider
            leads by 5 points (best: SIM340USDT, -0.1)` (the margin, the best-scored outsider and its lead, signed and cut
            to one decimal; `not actionable: no scored, tradable outsider` when there is none); or `not actionable: ` and
            the blocking reasons when no time is known.
        actionable (bool):
        blocking (list[str]):
        confirmations (list[ConfirmationRead]):
        held_hours (float):
        lead (float | None):
        max_correlation (float | None):
        member (str):
        member_rank (int):
        member_score (float | None):
        most_correlated_with (None | str):
        not_before (datetime.datetime | None): The earliest time it may become actionable, only while its outsider leads
            by the replacement margin in the newest scoring run and what blocks it ends at a time (the member's minimum
            holding time; that lead confirmed, should it keep leading); null when actionable now, when no outsider leads by
            the margin (`actionability` then names the best one and its lead), or when nothing says when (a correlation).
        outsider (None | str):
        outsider_score (float | None):
        reasons (list[str]):
    """

    actionability: str
    actionable: bool
    blocking: list[str]
    confirmations: list[ConfirmationRead]
    held_hours: float
    lead: float | None
    max_correlation: float | None
    member: str
    member_rank: int
    member_score: float | None
    most_correlated_with: None | str
    not_before: datetime.datetime | None
    outsider: None | str
    outsider_score: float | None
    reasons: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        actionability = self.actionability

        actionable = self.actionable

        blocking = self.blocking

        confirmations = []
        for confirmations_item_data in self.confirmations:
            confirmations_item = confirmations_item_data.to_dict()
            confirmations.append(confirmations_item)

        held_hours = self.held_hours

        lead: float | None
        lead = self.lead

        max_correlation: float | None
        max_correlation = self.max_correlation

        member = self.member

        member_rank = self.member_rank

        member_score: float | None
        member_score = self.member_score

        most_correlated_with: None | str
        most_correlated_with = self.most_correlated_with

        not_before: None | str
        if isinstance(self.not_before, datetime.datetime):
            not_before = self.not_before.isoformat()
        else:
            not_before = self.not_before

        outsider: None | str
        outsider = self.outsider

        outsider_score: float | None
        outsider_score = self.outsider_score

        reasons = self.reasons

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "actionability": actionability,
                "actionable": actionable,
                "blocking": blocking,
                "confirmations": confirmations,
                "held_hours": held_hours,
                "lead": lead,
                "max_correlation": max_correlation,
                "member": member,
                "member_rank": member_rank,
                "member_score": member_score,
                "most_correlated_with": most_correlated_with,
                "not_before": not_before,
                "outsider": outsider,
                "outsider_score": outsider_score,
                "reasons": reasons,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.confirmation_read import ConfirmationRead  # noqa: PLC0415

        d = dict(src_dict)
        actionability = d.pop("actionability")

        actionable = d.pop("actionable")

        blocking = cast(list[str], d.pop("blocking"))

        confirmations = []
        _confirmations = d.pop("confirmations")
        for confirmations_item_data in _confirmations:
            confirmations_item = ConfirmationRead.from_dict(confirmations_item_data)

            confirmations.append(confirmations_item)

        held_hours = d.pop("held_hours")

        def _parse_lead(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        lead = _parse_lead(d.pop("lead"))

        def _parse_max_correlation(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        max_correlation = _parse_max_correlation(d.pop("max_correlation"))

        member = d.pop("member")

        member_rank = d.pop("member_rank")

        def _parse_member_score(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        member_score = _parse_member_score(d.pop("member_score"))

        def _parse_most_correlated_with(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        most_correlated_with = _parse_most_correlated_with(d.pop("most_correlated_with"))

        def _parse_not_before(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                not_before_type_0 = datetime.datetime.fromisoformat(data)

                return not_before_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        not_before = _parse_not_before(d.pop("not_before"))

        def _parse_outsider(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        outsider = _parse_outsider(d.pop("outsider"))

        def _parse_outsider_score(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        outsider_score = _parse_outsider_score(d.pop("outsider_score"))

        reasons = cast(list[str], d.pop("reasons"))

        recommendation_read = cls(
            actionability=actionability,
            actionable=actionable,
            blocking=blocking,
            confirmations=confirmations,
            held_hours=held_hours,
            lead=lead,
            max_correlation=max_correlation,
            member=member,
            member_rank=member_rank,
            member_score=member_score,
            most_correlated_with=most_correlated_with,
            not_before=not_before,
            outsider=outsider,
            outsider_score=outsider_score,
            reasons=reasons,
        )

        recommendation_read.additional_properties = d
        return recommendation_read

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
