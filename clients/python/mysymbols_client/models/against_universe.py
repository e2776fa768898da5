from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AgainstUniverse")


@_attrs_define
class AgainstUniverse:
    """A scoring book's daily returns regressed on the universe's (the equal-weight index of
    the contracts eligible at each daily decision); per day, annualised over 365.

        Attributes:
            active_return (float | None):
            alpha (float | None):
            alpha_annualised (float | None):
            alpha_interval (list[float | None]):
            alpha_interval_annualised (list[float | None]):
            alpha_se (float | None):
            alpha_se_hac (float | None):
            alpha_t (float | None):
            alpha_t_hac (float | None):
            beta (float | None):
            information_ratio (float | None):
            n (int):
            tracking_error (float | None):
    """

    active_return: float | None
    alpha: float | None
    alpha_annualised: float | None
    alpha_interval: list[float | None]
    alpha_interval_annualised: list[float | None]
    alpha_se: float | None
    alpha_se_hac: float | None
    alpha_t: float | None
    alpha_t_hac: float | None
    beta: float | None
    information_ratio: float | None
    n: int
    tracking_error: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        active_return: float | None
        active_return = self.active_return

        alpha: float | None
        alpha = self.alpha

        alpha_annualised: float | None
        alpha_annualised = self.alpha_annualised

        alpha_interval = []
        for alpha_interval_item_data in self.alpha_interval:
            alpha_interval_item: float | None
            alpha_interval_item = alpha_interval_item_data
            alpha_interval.append(alpha_interval_item)

        alpha_interval_annualised = []
        for alpha_interval_annualised_item_data in self.alpha_interval_annualised:
            alpha_interval_annualised_item: float | None
            alpha_interval_annualised_item = alpha_interval_annualised_item_data
            alpha_interval_annualised.append(alpha_interval_annualised_item)

        alpha_se: float | None
        alpha_se = self.alpha_se

        alpha_se_hac: float | None
        alpha_se_hac = self.alpha_se_hac

        alpha_t: float | None
        alpha_t = self.alpha_t

        alpha_t_hac: float | None
        alpha_t_hac = self.alpha_t_hac

        beta: float | None
        beta = self.beta

        information_ratio: float | None
        information_ratio = self.information_ratio

        n = self.n

        tracking_error: float | None
        tracking_error = self.tracking_error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "active_return": active_return,
                "alpha": alpha,
                "alpha_annualised": alpha_annualised,
                "alpha_interval": alpha_interval,
                "alpha_interval_annualised": alpha_interval_annualised,
                "alpha_se": alpha_se,
                "alpha_se_hac": alpha_se_hac,
                "alpha_t": alpha_t,
                "alpha_t_hac": alpha_t_hac,
                "beta": beta,
                "information_ratio": information_ratio,
                "n": n,
                "tracking_error": tracking_error,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_active_return(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        active_return = _parse_active_return(d.pop("active_return"))

        def _parse_alpha(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        alpha = _parse_alpha(d.pop("alpha"))

        def _parse_alpha_annualised(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        alpha_annualised = _parse_alpha_annualised(d.pop("alpha_annualised"))

        alpha_interval = []
        _alpha_interval = d.pop("alpha_interval")
        for alpha_interval_item_data in _alpha_interval:

            def _parse_alpha_interval_item(data: object) -> float | None:
                if data is None:
                    return data
                return cast(float | None, data)

            alpha_interval_item = _parse_alpha_interval_item(alpha_interval_item_data)

            alpha_interval.append(alpha_interval_item)

        alpha_interval_annualised = []
        _alpha_interval_annualised = d.pop("alpha_interval_annualised")
        for alpha_interval_annualised_item_data in _alpha_interval_annualised:

            def _parse_alpha_interval_annualised_item(data: object) -> float | None:
                if data is None:
                    return data
                return cast(float | None, data)

            alpha_interval_annualised_item = _parse_alpha_interval_annualised_item(alpha_interval_annualised_item_data)

            alpha_interval_annualised.append(alpha_interval_annualised_item)

        def _parse_alpha_se(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        alpha_se = _parse_alpha_se(d.pop("alpha_se"))

        def _parse_alpha_se_hac(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        alpha_se_hac = _parse_alpha_se_hac(d.pop("alpha_se_hac"))

        def _parse_alpha_t(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        alpha_t = _parse_alpha_t(d.pop("alpha_t"))

        def _parse_alpha_t_hac(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        alpha_t_hac = _parse_alpha_t_hac(d.pop("alpha_t_hac"))

        def _parse_beta(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        beta = _parse_beta(d.pop("beta"))

        def _parse_information_ratio(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        information_ratio = _parse_information_ratio(d.pop("information_ratio"))

        n = d.pop("n")

        def _parse_tracking_error(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        tracking_error = _parse_tracking_error(d.pop("tracking_error"))

        against_universe = cls(
            active_return=active_return,
            alpha=alpha,
            alpha_annualised=alpha_annualised,
            alpha_interval=alpha_interval,
            alpha_interval_annualised=alpha_interval_annualised,
            alpha_se=alpha_se,
            alpha_se_hac=alpha_se_hac,
            alpha_t=alpha_t,
            alpha_t_hac=alpha_t_hac,
            beta=beta,
            information_ratio=information_ratio,
            n=n,
            tracking_error=tracking_error,
        )

        against_universe.additional_properties = d
        return against_universe

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
