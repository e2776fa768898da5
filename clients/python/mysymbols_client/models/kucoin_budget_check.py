from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.kucoin_budget_check_mode import KucoinBudgetCheckMode, check_kucoin_budget_check_mode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.kucoin_budget_check_last_scoring_run_type_0 import KucoinBudgetCheckLastScoringRunType0


T = TypeVar("T", bound="KucoinBudgetCheck")


@_attrs_define
class KucoinBudgetCheck:
    """KuCoin's request-weight budget as this replica keeps to it.

    Attributes:
        detail (str):
        limiter_wait_s (float): Seconds the limiter held sends since start.
        local_quota (int): The quota this replica's own log keeps to.
        mode (KucoinBudgetCheckMode):
        quota (int):
        used_here (int): Weight this replica sent in the current window.
        window_s (float):
        fallback_reason (None | str | Unset):
        last_scoring_run (KucoinBudgetCheckLastScoringRunType0 | None | Unset): The newest scoring run's id and its
            spend: weight by endpoint, seconds waited for the limiter.
    """

    detail: str
    limiter_wait_s: float
    local_quota: int
    mode: KucoinBudgetCheckMode
    quota: int
    used_here: int
    window_s: float
    fallback_reason: None | str | Unset = UNSET
    last_scoring_run: KucoinBudgetCheckLastScoringRunType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.kucoin_budget_check_last_scoring_run_type_0 import KucoinBudgetCheckLastScoringRunType0  # noqa: PLC0415

        detail = self.detail

        limiter_wait_s = self.limiter_wait_s

        local_quota = self.local_quota

        mode: str = self.mode

        quota = self.quota

        used_here = self.used_here

        window_s = self.window_s

        fallback_reason: None | str | Unset
        if isinstance(self.fallback_reason, Unset):
            fallback_reason = UNSET
        else:
            fallback_reason = self.fallback_reason

        last_scoring_run: dict[str, Any] | None | Unset
        if isinstance(self.last_scoring_run, Unset):
            last_scoring_run = UNSET
        elif isinstance(self.last_scoring_run, KucoinBudgetCheckLastScoringRunType0):
            last_scoring_run = self.last_scoring_run.to_dict()
        else:
            last_scoring_run = self.last_scoring_run

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "detail": detail,
                "limiter_wait_s": limiter_wait_s,
                "local_quota": local_quota,
                "mode": mode,
                "quota": quota,
                "used_here": used_here,
                "window_s": window_s,
            }
        )
        if fallback_reason is not UNSET:
            field_dict["fallback_reason"] = fallback_reason
        if last_scoring_run is not UNSET:
            field_dict["last_scoring_run"] = last_scoring_run

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.kucoin_budget_check_last_scoring_run_type_0 import KucoinBudgetCheckLastScoringRunType0  # noqa: PLC0415

        d = dict(src_dict)
        detail = d.pop("detail")

        limiter_wait_s = d.pop("limiter_wait_s")

        local_quota = d.pop("local_quota")

        mode = check_kucoin_budget_check_mode(d.pop("mode"))

        quota = d.pop("quota")

        used_here = d.pop("used_here")

        window_s = d.pop("window_s")

        def _parse_fallback_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        fallback_reason = _parse_fallback_reason(d.pop("fallback_reason", UNSET))

        def _parse_last_scoring_run(data: object) -> KucoinBudgetCheckLastScoringRunType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_scoring_run_type_0 = KucoinBudgetCheckLastScoringRunType0.from_dict(data)

                return last_scoring_run_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KucoinBudgetCheckLastScoringRunType0 | None | Unset, data)

        last_scoring_run = _parse_last_scoring_run(d.pop("last_scoring_run", UNSET))

        kucoin_budget_check = cls(
            detail=detail,
            limiter_wait_s=limiter_wait_s,
            local_quota=local_quota,
            mode=mode,
            quota=quota,
            used_here=used_here,
            window_s=window_s,
            fallback_reason=fallback_reason,
            last_scoring_run=last_scoring_run,
        )

        kucoin_budget_check.additional_properties = d
        return kucoin_budget_check

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
