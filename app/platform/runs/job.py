"""What a job is and how its runs end: the job, a degraded outcome, a skipped tick, the
problems a run is reported with."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.core.errors import (
    PROBLEM_TYPE_PREFIX,
    AppError,
    ConflictError,
    DatabaseBusyError,
    DatabaseUnavailableError,
    ServiceUnavailableError,
)
from app.platform.db.failures import DatabaseUnavailable, is_database_busy
from app.platform.settings_store.declaration import RuntimeSetting

# What a body is handed beside its session; a job whose body needs less (a domain's job, given
# a protocol the app state is one of) runs where more is handed.
Context = TypeVar("Context", contravariant=True)
SCHEDULER = "scheduler"
_REQUESTED_BY: ContextVar[str] = ContextVar("job_requested_by", default=SCHEDULER)


def requester() -> str:
    """Who asked for the job run under way: an API key's name, or `scheduler` for a tick (a
    body names it as the actor of what it changes, as the run's ledger row does)."""
    return _REQUESTED_BY.get()


@contextmanager
def on_behalf_of(name: str) -> Iterator[None]:
    """Run a job's body on behalf of `name` (the runner's, around each run)."""
    token = _REQUESTED_BY.set(name)
    try:
        yield
    finally:
        _REQUESTED_BY.reset(token)


# A job's work in its run's transaction, given what the runner hands every body (the app's state).
JobBody = Callable[[AsyncSession, Context], Awaitable["dict[str, Any] | Degraded"]]


@dataclass(frozen=True)
class Job(Generic[Context]):
    name: str
    period: RuntimeSetting  # the runtime setting holding its period in seconds
    body: JobBody[Context]

    @property
    def interval_key(self) -> str:
        return self.period.key

    @property
    def description(self) -> str:
        """The first paragraph of its body's docstring, on one line."""
        return " ".join((inspect.getdoc(self.body) or "").split("\n\n")[0].split())


@dataclass(frozen=True)
class Degraded:
    """A job's outcome when an outside dependency kept it from its purpose: `result` (what it
    did) is committed with the run, recorded `degraded` with `problem` (RFC 9457: why)."""

    result: dict[str, Any]
    problem: dict[str, Any]


class JobSkipped(Exception):
    """The job had nothing it may do this tick (e.g. inputs are stale); recorded as skipped."""


class RunInProgress(ConflictError):
    slug, title = "run-in-progress", "A run of this job is already in progress"

    def __init__(self, job: str, run_id: int) -> None:
        super().__init__(f"{job} run {run_id} is in progress", extra={"run_id": run_id})
        self.run_id = run_id


class RunnerStopping(ServiceUnavailableError):
    slug, title = "service-stopping", "The service is stopping"


def problem_of(exc: BaseException, run_id: int | None = None) -> dict[str, Any]:
    """The RFC 9457 document a run's failure is reported with. An unexpected exception's text
    (SQL, parameters, a path, a secret) never goes in it: only the type, a generic title and the
    run's id, under which the runner logs the exception."""
    if isinstance(exc, AppError):
        return exc.problem()
    # An outage, not a defect (SQLite's OperationalError also means "no such table": only the
    # engine's own mapping of a lost connection counts as the database being down).
    if is_database_busy(exc) or isinstance(exc, DatabaseUnavailable):
        kind = DatabaseBusyError if is_database_busy(exc) else DatabaseUnavailableError
        detail = "the database did not answer the run; its next tick tries again"
        return problem_of(kind(detail, retry_after_s=5))
    where = f"run {run_id}" if run_id is not None else "the run"
    return {
        "type": PROBLEM_TYPE_PREFIX + "internal-error",
        "title": "Internal error",
        "status": 500,
        "detail": f"{where} failed on an unexpected error; the service log has "
        "it under the run's id",
        **({"run_id": run_id} if run_id is not None else {}),
    }
