from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.market_data_check_breaker_state import MarketDataCheckBreakerState, check_market_data_check_breaker_state
from ..models.market_data_check_kind import MarketDataCheckKind, check_market_data_check_kind

T = TypeVar("T", bound="MarketDataCheck")


@_attrs_define
class MarketDataCheck:
    """
    Attributes:
        breaker_retry_in_s (float | None):
        breaker_state (MarketDataCheckBreakerState):
        breaker_times_opened (int):
        data_age_s (float | None):
        kind (MarketDataCheckKind):
        last_update_at (datetime.datetime | None):
        source (str):
        stale (bool):
    """

    breaker_retry_in_s: float | None
    breaker_state: MarketDataCheckBreakerState
    breaker_times_opened: int
    data_age_s: float | None
    kind: MarketDataCheckKind
    last_update_at: datetime.datetime | None
    source: str
    stale: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        breaker_retry_in_s: float | None
        breaker_retry_in_s = self.breaker_retry_in_s

        breaker_state: str = self.breaker_state

        breaker_times_opened = self.breaker_times_opened

        data_age_s: float | None
        data_age_s = self.data_age_s

        kind: str = self.kind

        last_update_at: None | str
        if isinstance(self.last_update_at, datetime.datetime):
            last_update_at = self.last_update_at.isoformat()
        else:
            last_update_at = self.last_update_at

        source = self.source

        stale = self.stale

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "breaker_retry_in_s": breaker_retry_in_s,
                "breaker_state": breaker_state,
                "breaker_times_opened": breaker_times_opened,
                "data_age_s": data_age_s,
                "kind": kind,
                "last_update_at": last_update_at,
                "source": source,
                "stale": stale,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_breaker_retry_in_s(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        breaker_retry_in_s = _parse_breaker_retry_in_s(d.pop("breaker_retry_in_s"))

        breaker_state = check_market_data_check_breaker_state(d.pop("breaker_state"))

        breaker_times_opened = d.pop("breaker_times_opened")

        def _parse_data_age_s(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        data_age_s = _parse_data_age_s(d.pop("data_age_s"))

        kind = check_market_data_check_kind(d.pop("kind"))

        def _parse_last_update_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_update_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_update_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_update_at = _parse_last_update_at(d.pop("last_update_at"))

        source = d.pop("source")

        stale = d.pop("stale")

        market_data_check = cls(
            breaker_retry_in_s=breaker_retry_in_s,
            breaker_state=breaker_state,
            breaker_times_opened=breaker_times_opened,
            data_age_s=data_age_s,
            kind=kind,
            last_update_at=last_update_at,
            source=source,
            stale=stale,
        )

        market_data_check.additional_properties = d
        return market_data_check

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
