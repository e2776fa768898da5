from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SkillIc")


@_attrs_define
class SkillIc:
    """
    Attributes:
        mean (float | None): Mean daily skill IC: the composite's Spearman correlation with universe-beta-residual
            returns over each daily decision's period.
        n (int): Daily decisions where it was measured.
        t_hac (float | None): The mean over its Newey-West standard error.
    """

    mean: float | None
    n: int
    t_hac: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        mean: float | None
        mean = self.mean

        n = self.n

        t_hac: float | None
        t_hac = self.t_hac

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "mean": mean,
                "n": n,
                "t_hac": t_hac,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_mean(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        mean = _parse_mean(d.pop("mean"))

        n = d.pop("n")

        def _parse_t_hac(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        t_hac = _parse_t_hac(d.pop("t_hac"))

        skill_ic = cls(
            mean=mean,
            n=n,
            t_hac=t_hac,
        )

        skill_ic.additional_properties = d
        return skill_ic

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
