"""Job runs: what the scheduler ran and what the API started, followed by their resource; the
jobs themselves, with their schedule."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

JobStatus = Literal["running", "succeeded", "degraded", "failed", "skipped", "aborted"]
WITH_RESULT = ("succeeded", "degraded")

RUNNING_RUN: dict[str, Any] = {
    "id": 812,
    "job": "score_refresh",
    "status": "running",
    "progress": 0.42,
    "requested_by": "trading-engine",
    "scheduled_tick": None,
    "replica": "mysymbols-7f9c:1",
    "started_at": "2026-11-23T09:00:00Z",
    "heartbeat_at": "2026-11-23T09:00:11Z",
    "finished_at": None,
    "duration_ms": None,
    "result": None,
    "problem": None,
    "skip_reason": None,
    "attempts": 1,
}
DEGRADED_RUN: dict[str, Any] = {
    **RUNNING_RUN,
    "id": 813,
    "status": "degraded",
    "progress": 1.0,
    "requested_by": "scheduler",
    "scheduled_tick": "2026-11-23T09:15:00Z",
    "heartbeat_at": "2026-11-23T09:15:03Z",
    "finished_at": "2026-11-23T09:15:03Z",
    "duration_ms": 1214.5,
    "result": {"run_id": 57, "scored": 0, "excluded": 0, "replacements_proposed": []},
    "problem": {
        "type": "urn:mysymbols:problem:exchange-unavailable",
        "title": "Exchange unavailable",
        "status": 503,
        "detail": "nothing scored: KuCoin could not be reached (universe sync: "
        "exchange-unavailable); the stored scores stand and the next tick tries again",
        "universe_sync": "exchange-unavailable",
        "fetch_failures": 0,
        "scoring_run_id": 57,
    },
}
SKIPPED_RUN: dict[str, Any] = {
    **RUNNING_RUN,
    "id": 814,
    "job": "track_record",
    "status": "skipped",
    "progress": 0.0,
    "requested_by": "scheduler",
    "scheduled_tick": "2026-11-23T10:00:00Z",
    "heartbeat_at": None,
    "finished_at": "2026-11-23T10:00:00Z",
    "duration_ms": 3.1,
    "skip_reason": "run 811 of track_record is still running",
}


class JobRunRead(BaseModel):
    """One run of a job: while it runs, its progress; once over, its result or its problem (a
    `degraded` run has both: what it did, and why it could not do its purpose)."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={"examples": [RUNNING_RUN, DEGRADED_RUN, SKIPPED_RUN]},
    )

    id: int
    job: str
    status: JobStatus = Field(
        description="`degraded`: ended, its work kept, but an outside dependency (KuCoin) kept "
        "it from its purpose (its `problem` says how); `failed`: ended in an error, nothing kept; "
        "`skipped`: not an error: the job had nothing it may do then (`skip_reason` says why)."
    )
    progress: float = Field(ge=0, le=1, description="0..1; 1 once succeeded or degraded.")
    requested_by: str | None = Field(
        description="The API key's name, `scheduler`, or `bootstrap` (a first start's catch-up)."
    )
    scheduled_tick: datetime | None = Field(description="The tick it ran for; none if requested.")
    replica: str
    started_at: datetime
    heartbeat_at: datetime | None
    finished_at: datetime | None
    duration_ms: float | None
    result: dict[str, Any] | None = Field(
        description="What the run did, once it succeeded (or ended degraded)."
    )
    problem: dict[str, Any] | None = Field(
        description="RFC 9457 problem of a degraded, failed or aborted run."
    )
    skip_reason: str | None = Field(
        default=None,
        description="Why a skipped run had nothing it may do (another run of the job still "
        "running, inputs not there yet); null for any other status.",
    )
    attempts: int = Field(
        ge=1,
        description="Times its body ran: more than 1 when a busy database (a lock held past its "
        "timeout, a deadlock) undid an attempt and the run was attempted again.",
    )

    @model_validator(mode="after")
    def _result_only_once_ended_with_one(self) -> JobRunRead:
        if self.status not in WITH_RESULT:
            self.result = None
        return self


class JobRead(BaseModel):
    """A background job: what it does, its schedule here, and its newest runs."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "score_refresh",
                    "description": "Score the universe and announce the replacements the new "
                    "scores justify.",
                    "interval_s": 900.0,
                    "interval_key": "score_refresh_interval_s",
                    "enabled": True,
                    "next_tick": "2026-11-23T09:30:00Z",
                    "last_runs": [DEGRADED_RUN],
                }
            ]
        }
    )

    name: str
    description: str
    interval_s: float = Field(gt=0, description="Its period (`interval_key`, or the override).")
    interval_key: str = Field(description="The `system_configuration` key holding its period.")
    enabled: bool = Field(description="Scheduled on this replica (the scheduler and the job on).")
    next_tick: datetime | None = Field(
        description="Its next aligned tick (before jitter); none when not scheduled here."
    )
    last_runs: list[JobRunRead] = Field(description="Its newest runs, newest first.")
