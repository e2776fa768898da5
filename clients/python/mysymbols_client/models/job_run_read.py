from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_run_read_status import JobRunReadStatus, check_job_run_read_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.job_run_read_problem_type_0 import JobRunReadProblemType0
    from ..models.job_run_read_result_type_0 import JobRunReadResultType0


T = TypeVar("T", bound="JobRunRead")


@_attrs_define
class JobRunRead:
    """One run of a job: while it runs, its progress; once over, its result or its problem (a
    `degraded` run has both: what it did, and why it could not do its purpose).

        Attributes:
            attempts (int): Times its body ran: more than 1 when a busy database (a lock held past its timeout, a deadlock)
                undid an attempt and the run was attempted again.
            duration_ms (float | None):
            finished_at (datetime.datetime | None):
            heartbeat_at (datetime.datetime | None):
            id (int):
            job (str):
            problem (JobRunReadProblemType0 | None): RFC 9457 problem of a degraded, failed or aborted run.
            progress (float): 0..1; 1 once succeeded or degraded.
            replica (str):
            requested_by (None | str): The API key's name, `scheduler`, or `bootstrap` (a first start's catch-up).
            result (JobRunReadResultType0 | None): What the run did, once it succeeded (or ended degraded).
            scheduled_tick (datetime.datetime | None): The tick it ran for; none if requested.
            started_at (datetime.datetime):
            status (JobRunReadStatus): `degraded`: ended, its work kept, but an outside dependency (KuCoin) kept it from its
                purpose (its `problem` says how); `failed`: ended in an error, nothing kept; `skipped`: not an error: the job
                had nothing it may do then (`skip_reason` says why).
            skip_reason (None | str | Unset): Why a skipped run had nothing it may do (another run of the job still running,
                inputs not there yet); null for any other status.
    """

    attempts: int
    duration_ms: float | None
    finished_at: datetime.datetime | None
    heartbeat_at: datetime.datetime | None
    id: int
    job: str
    problem: JobRunReadProblemType0 | None
    progress: float
    replica: str
    requested_by: None | str
    result: JobRunReadResultType0 | None
    scheduled_tick: datetime.datetime | None
    started_at: datetime.datetime
    status: JobRunReadStatus
    skip_reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.job_run_read_problem_type_0 import JobRunReadProblemType0  # noqa: PLC0415
        from ..models.job_run_read_result_type_0 import JobRunReadResultType0  # noqa: PLC0415

        attempts = self.attempts

        duration_ms: float | None
        duration_ms = self.duration_ms

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        heartbeat_at: None | str
        if isinstance(self.heartbeat_at, datetime.datetime):
            heartbeat_at = self.heartbeat_at.isoformat()
        else:
            heartbeat_at = self.heartbeat_at

        id = self.id

        job = self.job

        problem: dict[str, Any] | None
        if isinstance(self.problem, JobRunReadProblemType0):
            problem = self.problem.to_dict()
        else:
            problem = self.problem

        progress = self.progress

        replica = self.replica

        requested_by: None | str
        requested_by = self.requested_by

        result: dict[str, Any] | None
        if isinstance(self.result, JobRunReadResultType0):
            result = self.result.to_dict()
        else:
            result = self.result

        scheduled_tick: None | str
        if isinstance(self.scheduled_tick, datetime.datetime):
            scheduled_tick = self.scheduled_tick.isoformat()
        else:
            scheduled_tick = self.scheduled_tick

        started_at = self.started_at.isoformat()

        status: str = self.status

        skip_reason: None | str | Unset
        if isinstance(self.skip_reason, Unset):
            skip_reason = UNSET
        else:
            skip_reason = self.skip_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempts": attempts,
                "duration_ms": duration_ms,
                "finished_at": finished_at,
                "heartbeat_at": heartbeat_at,
                "id": id,
                "job": job,
                "problem": problem,
                "progress": progress,
                "replica": replica,
                "requested_by": requested_by,
                "result": result,
                "scheduled_tick": scheduled_tick,
                "started_at": started_at,
                "status": status,
            }
        )
        if skip_reason is not UNSET:
            field_dict["skip_reason"] = skip_reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_run_read_problem_type_0 import JobRunReadProblemType0  # noqa: PLC0415
        from ..models.job_run_read_result_type_0 import JobRunReadResultType0  # noqa: PLC0415

        d = dict(src_dict)
        attempts = d.pop("attempts")

        def _parse_duration_ms(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        duration_ms = _parse_duration_ms(d.pop("duration_ms"))

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

        def _parse_heartbeat_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                heartbeat_at_type_0 = datetime.datetime.fromisoformat(data)

                return heartbeat_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        heartbeat_at = _parse_heartbeat_at(d.pop("heartbeat_at"))

        id = d.pop("id")

        job = d.pop("job")

        def _parse_problem(data: object) -> JobRunReadProblemType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                problem_type_0 = JobRunReadProblemType0.from_dict(data)

                return problem_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JobRunReadProblemType0 | None, data)

        problem = _parse_problem(d.pop("problem"))

        progress = d.pop("progress")

        replica = d.pop("replica")

        def _parse_requested_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        requested_by = _parse_requested_by(d.pop("requested_by"))

        def _parse_result(data: object) -> JobRunReadResultType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0 = JobRunReadResultType0.from_dict(data)

                return result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JobRunReadResultType0 | None, data)

        result = _parse_result(d.pop("result"))

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

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        status = check_job_run_read_status(d.pop("status"))

        def _parse_skip_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        skip_reason = _parse_skip_reason(d.pop("skip_reason", UNSET))

        job_run_read = cls(
            attempts=attempts,
            duration_ms=duration_ms,
            finished_at=finished_at,
            heartbeat_at=heartbeat_at,
            id=id,
            job=job,
            problem=problem,
            progress=progress,
            replica=replica,
            requested_by=requested_by,
            result=result,
            scheduled_tick=scheduled_tick,
            started_at=started_at,
            status=status,
            skip_reason=skip_reason,
        )

        job_run_read.additional_properties = d
        return job_run_read

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
