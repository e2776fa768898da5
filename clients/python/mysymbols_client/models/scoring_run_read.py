from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.scoring_run_read_exclusions import ScoringRunReadExclusions
    from ..models.scoring_run_read_spend_type_0 import ScoringRunReadSpendType0


T = TypeVar("T", bound="ScoringRunRead")


@_attrs_define
class ScoringRunRead:
    """
    Attributes:
        config_hash (None | str):
        data_source (str): The KuCoin base URL the run read (live or simulator).
        duration_ms (float | None):
        excluded_count (int):
        exclusions (ScoringRunReadExclusions): Counts by reason code, the reason of each excluded symbol, stage-1 sizes.
        finished_at (datetime.datetime | None):
        id (int):
        scored_count (int):
        started_at (datetime.datetime):
        status (str):
        triggered_by (None | str):
        universe_size (int):
        spend (None | ScoringRunReadSpendType0 | Unset): KuCoin weight: `planned` before stage 2 (by endpoint and
            symbol, the `scoring_weight_budget`, the rotation and how many due it left out, funding settlements left to a
            later run, the window's free weight) and `spent` (by endpoint as KuCoin counted it, requests, seconds the
            limiter held sends).
    """

    config_hash: None | str
    data_source: str
    duration_ms: float | None
    excluded_count: int
    exclusions: ScoringRunReadExclusions
    finished_at: datetime.datetime | None
    id: int
    scored_count: int
    started_at: datetime.datetime
    status: str
    triggered_by: None | str
    universe_size: int
    spend: None | ScoringRunReadSpendType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.scoring_run_read_spend_type_0 import ScoringRunReadSpendType0  # noqa: PLC0415

        config_hash: None | str
        config_hash = self.config_hash

        data_source = self.data_source

        duration_ms: float | None
        duration_ms = self.duration_ms

        excluded_count = self.excluded_count

        exclusions = self.exclusions.to_dict()

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        id = self.id

        scored_count = self.scored_count

        started_at = self.started_at.isoformat()

        status = self.status

        triggered_by: None | str
        triggered_by = self.triggered_by

        universe_size = self.universe_size

        spend: dict[str, Any] | None | Unset
        if isinstance(self.spend, Unset):
            spend = UNSET
        elif isinstance(self.spend, ScoringRunReadSpendType0):
            spend = self.spend.to_dict()
        else:
            spend = self.spend

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "config_hash": config_hash,
                "data_source": data_source,
                "duration_ms": duration_ms,
                "excluded_count": excluded_count,
                "exclusions": exclusions,
                "finished_at": finished_at,
                "id": id,
                "scored_count": scored_count,
                "started_at": started_at,
                "status": status,
                "triggered_by": triggered_by,
                "universe_size": universe_size,
            }
        )
        if spend is not UNSET:
            field_dict["spend"] = spend

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.scoring_run_read_exclusions import ScoringRunReadExclusions  # noqa: PLC0415
        from ..models.scoring_run_read_spend_type_0 import ScoringRunReadSpendType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_config_hash(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        config_hash = _parse_config_hash(d.pop("config_hash"))

        data_source = d.pop("data_source")

        def _parse_duration_ms(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        duration_ms = _parse_duration_ms(d.pop("duration_ms"))

        excluded_count = d.pop("excluded_count")

        exclusions = ScoringRunReadExclusions.from_dict(d.pop("exclusions"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        id = d.pop("id")

        scored_count = d.pop("scored_count")

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        status = d.pop("status")

        def _parse_triggered_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        triggered_by = _parse_triggered_by(d.pop("triggered_by"))

        universe_size = d.pop("universe_size")

        def _parse_spend(data: object) -> None | ScoringRunReadSpendType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                spend_type_0 = ScoringRunReadSpendType0.from_dict(data)

                return spend_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ScoringRunReadSpendType0 | Unset, data)

        spend = _parse_spend(d.pop("spend", UNSET))

        scoring_run_read = cls(
            config_hash=config_hash,
            data_source=data_source,
            duration_ms=duration_ms,
            excluded_count=excluded_count,
            exclusions=exclusions,
            finished_at=finished_at,
            id=id,
            scored_count=scored_count,
            started_at=started_at,
            status=status,
            triggered_by=triggered_by,
            universe_size=universe_size,
            spend=spend,
        )

        scoring_run_read.additional_properties = d
        return scoring_run_read

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
