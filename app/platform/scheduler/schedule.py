"""The jobs the scheduler runs, as the assembly (`app/assembly.py`) hands them over: each job in
the scheduler's order with whether the scheduler's environment switches it on, the first start's
steps (`app.platform.scheduler.bootstrap`), and the reads done ahead when the scheduler starts.
The platform knows no job by name: each domain's `jobs.py` declares its own."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.platform.core.environment import Environment
from app.platform.core.environment_sections import SchedulerEnvironment
from app.platform.runs.job import Context, Job
from app.platform.runtime.shutdown import ShutdownSignal
from app.platform.scheduler.runs import JobRunner

State = TypeVar("State")  # the app's state, as the jobs' bodies are handed it


def _always(_environment: SchedulerEnvironment) -> bool:
    return True


@dataclass(frozen=True)
class Scheduled(Generic[Context]):
    """A job, scheduled where `switched_on` says so."""

    job: Job[Context]
    switched_on: Callable[[SchedulerEnvironment], bool] = _always


@dataclass(frozen=True)
class WarmUp(Generic[Context]):
    """A read done once as the scheduler starts, so that a job's first run finds it done; a
    failure is logged (`what` is not read) and left to the job."""

    task: str  # the asyncio task's name
    what: str
    read: Callable[[AsyncSession, Context], Awaitable[None]]


@dataclass(frozen=True)
class Schedule(Generic[Context]):
    scheduled: tuple[Scheduled[Context], ...]
    first_start: tuple[Job[Context], ...] = ()
    """Run at once while they have not succeeded within their period (a fresh database)."""
    warm_ups: tuple[WarmUp[Context], ...] = ()

    def every(self) -> list[Job[Context]]:
        """Every job there is (switched on here or not), in the scheduler's order."""
        return [s.job for s in self.scheduled]

    def switched_on(self, environment: SchedulerEnvironment) -> list[Job[Context]]:
        """The jobs the scheduler runs under `environment`, in its order."""
        return [s.job for s in self.scheduled if s.switched_on(environment)]

    def find(self, name: str) -> Job[Context] | None:
        return next((job for job in self.every() if job.name == name), None)


class Stops(Protocol):
    """The process's stop, which a caller waiting on a run hears."""

    @property
    def shutdown(self) -> ShutdownSignal: ...


class RunsJobs(Stops, Protocol[State]):
    """What a job started over the API takes from the app's state."""

    @property
    def jobs(self) -> JobRunner[State]: ...


class SchedulerState(RunsJobs[State], Protocol[State]):
    """What the scheduler takes from the app's state."""

    @property
    def environment(self) -> Environment: ...

    @property
    def sessionmaker(self) -> async_sessionmaker[AsyncSession]: ...

    @property
    def schedule(self) -> Schedule[State]: ...
