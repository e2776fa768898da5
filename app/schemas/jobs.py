"""Job runs: what the scheduler ran and what the API started, followed by their resource."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

JobStatus = Literal["running", "succeeded", "failed", "skipped", "aborted"]


class JobRunRead(BaseModel):
    """One run of a job: while it runs, its progress; once over, its result or its problem."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": 812, "job": "score_refresh", "status": "running", "progress": 0.42,
                    "requested_by": "trading-engine", "scheduled_tick": None,
                    "replica": "mysymbols-7f9c:1", "started_at": "2026-11-23T09:00:00Z",
                    "heartbeat_at": "2026-11-23T09:00:11Z", "finished_at": None,
                    "duration_ms": None, "result": None, "problem": None,
                }
            ]
        },
    )  # fmt: skip

    id: int
    job: str
    status: JobStatus
    progress: float = Field(ge=0, le=1, description="0..1; 1 once succeeded.")
    requested_by: str | None = Field(description="The API key's name, or `scheduler`.")
    scheduled_tick: datetime | None = Field(description="The tick it ran for; none if requested.")
    replica: str
    started_at: datetime
    heartbeat_at: datetime | None
    finished_at: datetime | None
    duration_ms: float | None
    result: dict[str, Any] | None = Field(description="What the run did, once it succeeded.")
    problem: dict[str, Any] | None = Field(
        description="RFC 9457 problem of a failed or aborted run."
    )

    @model_validator(mode="after")
    def _result_only_once_succeeded(self) -> JobRunRead:
        if self.status != "succeeded":
            self.result = None
        return self
