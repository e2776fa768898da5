from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ChallengerVerdict")


@_attrs_define
class ChallengerVerdict:
    """A registered challenger against the default under the forward rule.

    Attributes:
        alpha_lead (float | None): Paired alpha per day: intercept of (its return - the default's) on the universe's.
        alpha_lead_t (float | None): Its Newey-West t.
        book (str):
        decisions (int): Daily decisions where both skill ICs are known.
        holm_threshold (float | None): What p_value had to beat (Holm).
        hypothesis (str):
        ic_lead (float | None): Mean of its daily skill IC minus the default's.
        ic_lead_se (float | None): Newey-West standard error of `ic_lead`.
        ic_lead_t (float | None):
        name (str):
        p_value (float | None): One-sided, of ic_lead / ic_lead_se.
        qualifies (bool):
        reasons (list[str]): Why it does not qualify, in words.
        registered_at (datetime.datetime): Its record starts at its first decision after.
        source (str): family, preset or new.
    """

    alpha_lead: float | None
    alpha_lead_t: float | None
    book: str
    decisions: int
    holm_threshold: float | None
    hypothesis: str
    ic_lead: float | None
    ic_lead_se: float | None
    ic_lead_t: float | None
    name: str
    p_value: float | None
    qualifies: bool
    reasons: list[str]
    registered_at: datetime.datetime
    source: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        alpha_lead: float | None
        alpha_lead = self.alpha_lead

        alpha_lead_t: float | None
        alpha_lead_t = self.alpha_lead_t

        book = self.book

        decisions = self.decisions

        holm_threshold: float | None
        holm_threshold = self.holm_threshold

        hypothesis = self.hypothesis

        ic_lead: float | None
        ic_lead = self.ic_lead

        ic_lead_se: float | None
        ic_lead_se = self.ic_lead_se

        ic_lead_t: float | None
        ic_lead_t = self.ic_lead_t

        name = self.name

        p_value: float | None
        p_value = self.p_value

        qualifies = self.qualifies

        reasons = self.reasons

        registered_at = self.registered_at.isoformat()

        source = self.source

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "alpha_lead": alpha_lead,
                "alpha_lead_t": alpha_lead_t,
                "book": book,
                "decisions": decisions,
                "holm_threshold": holm_threshold,
                "hypothesis": hypothesis,
                "ic_lead": ic_lead,
                "ic_lead_se": ic_lead_se,
                "ic_lead_t": ic_lead_t,
                "name": name,
                "p_value": p_value,
                "qualifies": qualifies,
                "reasons": reasons,
                "registered_at": registered_at,
                "source": source,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_alpha_lead(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        alpha_lead = _parse_alpha_lead(d.pop("alpha_lead"))

        def _parse_alpha_lead_t(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        alpha_lead_t = _parse_alpha_lead_t(d.pop("alpha_lead_t"))

        book = d.pop("book")

        decisions = d.pop("decisions")

        def _parse_holm_threshold(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        holm_threshold = _parse_holm_threshold(d.pop("holm_threshold"))

        hypothesis = d.pop("hypothesis")

        def _parse_ic_lead(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        ic_lead = _parse_ic_lead(d.pop("ic_lead"))

        def _parse_ic_lead_se(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        ic_lead_se = _parse_ic_lead_se(d.pop("ic_lead_se"))

        def _parse_ic_lead_t(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        ic_lead_t = _parse_ic_lead_t(d.pop("ic_lead_t"))

        name = d.pop("name")

        def _parse_p_value(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        p_value = _parse_p_value(d.pop("p_value"))

        qualifies = d.pop("qualifies")

        reasons = cast(list[str], d.pop("reasons"))

        registered_at = datetime.datetime.fromisoformat(d.pop("registered_at"))

        source = d.pop("source")

        challenger_verdict = cls(
            alpha_lead=alpha_lead,
            alpha_lead_t=alpha_lead_t,
            book=book,
            decisions=decisions,
            holm_threshold=holm_threshold,
            hypothesis=hypothesis,
            ic_lead=ic_lead,
            ic_lead_se=ic_lead_se,
            ic_lead_t=ic_lead_t,
            name=name,
            p_value=p_value,
            qualifies=qualifies,
            reasons=reasons,
            registered_at=registered_at,
            source=source,
        )

        challenger_verdict.additional_properties = d
        return challenger_verdict

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
