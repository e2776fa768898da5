from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ReplacementOutcomes")


@_attrs_define
class ReplacementOutcomes:
    """Each replacement's newcomer return minus the replaced member's over the horizon.

    Attributes:
        decisions (int): Distinct decision dates (the clusters).
        effective_n (float | None): n over the design effect (at most n).
        hit_interval (list[float | None]): 95 % Wilson interval at the effective number of outcomes (clustered).
        hit_rate (float | None):
        horizon_days (int):
        mean (float | None):
        n (int):
        t_clustered (float | None): The mean over its standard error clustered by decision date, overlapping horizons
            covarying (the replay's).
    """

    decisions: int
    effective_n: float | None
    hit_interval: list[float | None]
    hit_rate: float | None
    horizon_days: int
    mean: float | None
    n: int
    t_clustered: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        decisions = self.decisions

        effective_n: float | None
        effective_n = self.effective_n

        hit_interval = []
        for hit_interval_item_data in self.hit_interval:
            hit_interval_item: float | None
            hit_interval_item = hit_interval_item_data
            hit_interval.append(hit_interval_item)

        hit_rate: float | None
        hit_rate = self.hit_rate

        horizon_days = self.horizon_days

        mean: float | None
        mean = self.mean

        n = self.n

        t_clustered: float | None
        t_clustered = self.t_clustered

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "decisions": decisions,
                "effective_n": effective_n,
                "hit_interval": hit_interval,
                "hit_rate": hit_rate,
                "horizon_days": horizon_days,
                "mean": mean,
                "n": n,
                "t_clustered": t_clustered,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        decisions = d.pop("decisions")

        def _parse_effective_n(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        effective_n = _parse_effective_n(d.pop("effective_n"))

        hit_interval = []
        _hit_interval = d.pop("hit_interval")
        for hit_interval_item_data in _hit_interval:

            def _parse_hit_interval_item(data: object) -> float | None:
                if data is None:
                    return data
                return cast(float | None, data)

            hit_interval_item = _parse_hit_interval_item(hit_interval_item_data)

            hit_interval.append(hit_interval_item)

        def _parse_hit_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        hit_rate = _parse_hit_rate(d.pop("hit_rate"))

        horizon_days = d.pop("horizon_days")

        def _parse_mean(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        mean = _parse_mean(d.pop("mean"))

        n = d.pop("n")

        def _parse_t_clustered(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        t_clustered = _parse_t_clustered(d.pop("t_clustered"))

        replacement_outcomes = cls(
            decisions=decisions,
            effective_n=effective_n,
            hit_interval=hit_interval,
            hit_rate=hit_rate,
            horizon_days=horizon_days,
            mean=mean,
            n=n,
            t_clustered=t_clustered,
        )

        replacement_outcomes.additional_properties = d
        return replacement_outcomes

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
