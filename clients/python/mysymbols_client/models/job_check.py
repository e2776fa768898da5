from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.job_check_result import JobCheckResult


T = TypeVar("T", bound="JobCheck")


@_attrs_define
class JobCheck:
    """The newest run of one background job (any replica).

    Attributes:
        duration_ms (float | None):
        error (None | str): Why a degraded, failed or aborted run did not succeed: its problem's title and type and the
            run's id; the cause itself is only in the service log, under that run id. Null for a skipped run: a skip is not
            an error (`skip_reason`).
        job (str):
        replica (str):
        result (JobCheckResult):
        run_id (int): The run (`/jobs/runs/{id}`; the log's `run_id`).
        scheduled_tick (datetime.datetime | None):
        status (str):
        problem_type (None | str | Unset):
        skip_reason (None | str | Unset): Why a skipped run had nothing it may do; null for any other status.
    """

    duration_ms: float | None
    error: None | str
    job: str
    replica: str
    result: JobCheckResult
    run_id: int
    scheduled_tick: datetime.datetime | None
    status: str
    problem_type: None | str | Unset = UNSET
    skip_reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        duration_ms: float | None
        duration_ms = self.duration_ms

        error: None | str
        error = self.error

        job = self.job

        replica = self.replica

        result = self.result.to_dict()

        run_id = self.run_id

        scheduled_tick: None | str
        if isinstance(self.scheduled_tick, datetime.datetime):
            scheduled_tick = self.scheduled_tick.isoformat()
        else:
            scheduled_tick = self.scheduled_tick

        status = self.status

        problem_type: None | str | Unset
        if isinstance(self.problem_type, Unset):
            problem_type = UNSET
        else:
            problem_type = self.problem_type

        skip_reason: None | str | Unset
        if isinstance(self.skip_reason, Unset):
            skip_reason = UNSET
        else:
            skip_reason = self.skip_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "duration_ms": duration_ms,
                "error": error,
                "job": job,
                "replica": replica,
                "result": result,
                "run_id": run_id,
                "scheduled_tick": scheduled_tick,
                "status": status,
            }
        )
        if problem_type is not UNSET:
            field_dict["problem_type"] = problem_type
        if skip_reason is not UNSET:
            field_dict["skip_reason"] = skip_reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_check_result import JobCheckResult  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_duration_ms(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        duration_ms = _parse_duration_ms(d.pop("duration_ms"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        job = d.pop("job")

        replica = d.pop("replica")

        result = JobCheckResult.from_dict(d.pop("result"))

        run_id = d.pop("run_id")

        def _parse_scheduled_tick(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                scheduled_tick_type_0 = datetime.datetime.fromisoformat(data)

                return scheduled_tick_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        scheduled_tick = _parse_scheduled_tick(d.pop("scheduled_tick"))

        status = d.pop("status")

        def _parse_problem_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        problem_type = _parse_problem_type(d.pop("problem_type", UNSET))

        def _parse_skip_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        skip_reason = _parse_skip_reason(d.pop("skip_reason", UNSET))

        job_check = cls(
            duration_ms=duration_ms,
            error=error,
            job=job,
            replica=replica,
            result=result,
            run_id=run_id,
            scheduled_tick=scheduled_tick,
            status=status,
            problem_type=problem_type,
            skip_reason=skip_reason,
        )

        job_check.additional_properties = d
        return job_check

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
