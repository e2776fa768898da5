"""Health and readiness contracts."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Health(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"status": "ok", "version": "0.1.0", "uptime_s": 42.0}]}
    )

    status: Literal["ok"]
    version: str
    uptime_s: float


class DatabaseCheck(BaseModel):
    reachable: bool
    backend: Literal["postgresql", "sqlite"]
    latency_ms: float | None
    migration_revision: str | None
    migration_head: str
    migrations_at_head: bool
    migrations: Literal["at_head", "ahead", "behind", "not_migrated"] | None = Field(
        default=None,
        description="The schema against this replica's code: `ahead` (a revision its scripts "
        "do not know: a newer release migrated it) still serves, as migrations are "
        "expand/contract; `behind` does not (503). None when the database did not answer.",
    )
    error: str | None = None


class MarketDataCheck(BaseModel):
    source: str
    kind: Literal["live", "simulator", "custom"]
    """`simulator` once the source's answers announce the loopback simulator; `live` for
    KuCoin's own URL, `custom` for any other (also the `X-Market-Data-Source` header)."""
    last_update_at: datetime | None
    data_age_s: float | None
    stale: bool
    breaker_state: Literal["closed", "open", "half_open"]
    breaker_retry_in_s: float | None
    breaker_times_opened: int


class KucoinBudgetCheck(BaseModel):
    """KuCoin's request-weight budget as this replica keeps to it."""

    mode: Literal["local", "shared", "fallback"]
    detail: str
    quota: int
    window_s: float
    local_quota: int = Field(description="The quota this replica's own log keeps to.")
    used_here: int = Field(description="Weight this replica sent in the current window.")
    limiter_wait_s: float = Field(description="Seconds the limiter held sends since start.")
    fallback_reason: str | None = None
    last_scoring_run: dict[str, Any] | None = Field(
        default=None,
        description="The newest scoring run's id and its spend: weight by endpoint, seconds "
        "waited for the limiter.",
    )


class JobCheck(BaseModel):
    """The newest run of one background job (any replica)."""

    job: str
    run_id: int = Field(description="The run (`/jobs/runs/{id}`; the log's `run_id`).")
    scheduled_tick: datetime | None  # None: requested over the API
    replica: str
    status: str
    duration_ms: float | None
    result: dict[str, Any]
    error: str | None = Field(
        description="Why a degraded, failed or aborted run did not succeed: its problem's title "
        "and type and the run's id; the cause itself is only in the service log, under that run "
        "id. Null for a skipped run: a skip is not an error (`skip_reason`)."
    )
    problem_type: str | None = None
    skip_reason: str | None = Field(
        default=None,
        description="Why a skipped run had nothing it may do; null for any other status.",
    )


class BootstrapCheck(BaseModel):
    """A first start's progress: the universe synced, then scored (until a run scored any)."""

    step: Literal["universe_sync", "score_refresh"] = Field(description="The step under way.")
    step_progress: float = Field(ge=0, le=1, description="Its run's progress (0 while none).")
    progress: float = Field(ge=0, le=1, description="Of the whole: the steps done and this one.")
    run_id: int | None = Field(description="The step's run going now (`/jobs/runs/{id}`).")
    problem: dict[str, Any] | None = Field(
        description="Why the step's last run ended without success (KuCoin unreachable: its "
        "`degraded` problem); it is retried with backoff."
    )


READY: dict[str, Any] = {
    "status": "ready",
    "ready": True,
    "version": "0.1.0",
    "database": {
        "reachable": True,
        "backend": "postgresql",
        "latency_ms": 0.8,
        "migration_revision": "0001",
        "migration_head": "0001",
        "migrations_at_head": True,
        "migrations": "at_head",
    },
    "market_data": {
        "source": "https://api-futures.kucoin.com",
        "kind": "live",
        "last_update_at": None,
        "data_age_s": None,
        "stale": True,
        "breaker_state": "closed",
        "breaker_retry_in_s": None,
        "breaker_times_opened": 0,
    },
    "jobs": [
        {
            "job": "score_refresh",
            "run_id": 42,
            "scheduled_tick": "2026-01-05T10:00:00Z",
            "replica": "mysymbols-7d9f:1",
            "status": "failed",
            "duration_ms": 12.5,
            "result": {},
            "error": "Internal error (urn:mysymbols:problem:internal-error), run 42",
            "problem_type": "urn:mysymbols:problem:internal-error",
        },
    ],
}
BOOTSTRAPPING: dict[str, Any] = {
    **READY,
    "status": "bootstrapping",
    "ready": False,
    "scheduler_enabled": True,
    "jobs": [],
    "bootstrap": {
        "step": "universe_sync",
        "step_progress": 0.0,
        "progress": 0.0,
        "run_id": 3,
        "problem": {
            "type": "urn:mysymbols:problem:exchange-unavailable",
            "title": "Exchange unavailable",
            "status": 503,
            "detail": "KuCoin answered HTTP 503 on /api/v1/contracts/active",
            "endpoint": "/api/v1/contracts/active",
        },
    },
}
ANONYMOUS_READY: dict[str, Any] = {"status": "ready", "ready": True}
ANONYMOUS_NOT_READY: dict[str, Any] = {"status": "degraded", "ready": False}


class Status(BaseModel):
    """Readiness. Without an API key only `status` and `ready`; the rest (the checks) needs a
    key with the `read` role (or open reads)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [ANONYMOUS_READY, READY, BOOTSTRAPPING]}
    )

    status: Literal["ready", "bootstrapping", "degraded"] = Field(
        description="`bootstrapping`: the scheduler is on and no run has scored anything yet "
        "(see `bootstrap`); `degraded`: the database is unreachable or not migrated."
    )
    ready: bool = Field(
        description="Whether this replica should take traffic: the database reachable, its "
        "migrations at head and the first start finished. `false` answers HTTP 503."
    )
    version: str | None = None
    database: DatabaseCheck | None = None
    market_data: MarketDataCheck | None = None
    scheduler_enabled: bool | None = None
    jobs: list[JobCheck] | None = None
    bootstrap: BootstrapCheck | None = None
    kucoin_budget: KucoinBudgetCheck | None = None

    def summary(self) -> dict[str, Any]:
        """What anyone may see: `status` and `ready`."""
        return {"status": self.status, "ready": self.ready}
