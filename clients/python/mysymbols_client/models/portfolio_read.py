from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.member_read import MemberRead


T = TypeVar("T", bound="PortfolioRead")


@_attrs_define
class PortfolioRead:
    """
    Attributes:
        as_of (datetime.datetime):
        max_symbols (int):
        members (list[MemberRead]):
        reconstructed (bool): True when read from the audit trail (as_of).
        score_age_s (float | None):
        score_run_id (int | None):
        stale (bool):
        total_weight (float):
        weights_as_of (datetime.datetime | None): When the weights were last set: the time of the newest change in the
            audit trail (a membership change or a rebalance, each of which sets every member's weight); null before the
            first. New scores move ranks and composites, not weights, so between changes the weights need not follow the
            ranks (`GET /portfolio/weights` gives the targets the latest scores would set). In a past snapshot (`as_of`),
            the time of the change it shows.
    """

    as_of: datetime.datetime
    max_symbols: int
    members: list[MemberRead]
    reconstructed: bool
    score_age_s: float | None
    score_run_id: int | None
    stale: bool
    total_weight: float
    weights_as_of: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        as_of = self.as_of.isoformat()

        max_symbols = self.max_symbols

        members = []
        for members_item_data in self.members:
            members_item = members_item_data.to_dict()
            members.append(members_item)

        reconstructed = self.reconstructed

        score_age_s: float | None
        score_age_s = self.score_age_s

        score_run_id: int | None
        score_run_id = self.score_run_id

        stale = self.stale

        total_weight = self.total_weight

        weights_as_of: None | str
        if isinstance(self.weights_as_of, datetime.datetime):
            weights_as_of = self.weights_as_of.isoformat()
        else:
            weights_as_of = self.weights_as_of

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "max_symbols": max_symbols,
                "members": members,
                "reconstructed": reconstructed,
                "score_age_s": score_age_s,
                "score_run_id": score_run_id,
                "stale": stale,
                "total_weight": total_weight,
                "weights_as_of": weights_as_of,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.member_read import MemberRead  # noqa: PLC0415

        d = dict(src_dict)
        as_of = datetime.datetime.fromisoformat(d.pop("as_of"))

        max_symbols = d.pop("max_symbols")

        members = []
        _members = d.pop("members")
        for members_item_data in _members:
            members_item = MemberRead.from_dict(members_item_data)

            members.append(members_item)

        reconstructed = d.pop("reconstructed")

        def _parse_score_age_s(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        score_age_s = _parse_score_age_s(d.pop("score_age_s"))

        def _parse_score_run_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        score_run_id = _parse_score_run_id(d.pop("score_run_id"))

        stale = d.pop("stale")

        total_weight = d.pop("total_weight")

        def _parse_weights_as_of(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                weights_as_of_type_0 = datetime.datetime.fromisoformat(data)

                return weights_as_of_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        weights_as_of = _parse_weights_as_of(d.pop("weights_as_of"))

        portfolio_read = cls(
            as_of=as_of,
            max_symbols=max_symbols,
            members=members,
            reconstructed=reconstructed,
            score_age_s=score_age_s,
            score_run_id=score_run_id,
            stale=stale,
            total_weight=total_weight,
            weights_as_of=weights_as_of,
        )

        portfolio_read.additional_properties = d
        return portfolio_read

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
