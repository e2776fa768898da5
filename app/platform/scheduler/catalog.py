"""The jobs as the API shows them: every job of the app's schedule, with its period, whether this
replica schedules it, its next tick and its newest runs."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.core.environment import Environment
from app.platform.db.models import JobRun
from app.platform.runs.job import Job
from app.platform.scheduler.schedule import SchedulerState
from app.platform.settings_store.reader import read_settings_as


@dataclass(frozen=True)
class JobView:
    job: Job[Any]
    interval_s: float
    enabled: bool
    next_tick: datetime | None
    last_runs: Sequence[JobRun]


def scheduled(state: SchedulerState[Any]) -> set[str]:
    """The names of the jobs this replica's scheduler runs."""
    if not state.environment.scheduler.enabled:
        return set()
    return {job.name for job in state.schedule.switched_on(state.environment.scheduler)}


async def intervals(
    environment: Environment, session: AsyncSession, jobs: Sequence[Job[Any]]
) -> dict[str, float]:
    """Each job's period in seconds: the `tick_s` override, else its stored setting."""
    override = environment.scheduler.tick_s
    if override is not None:
        return {job.name: float(override) for job in jobs}
    values = await read_settings_as(session, {job.period for job in jobs}, float)
    return {job.name: max(values[job.interval_key], 1.0) for job in jobs}


def next_tick(interval_s: float, now: float | None = None) -> datetime:
    """The next tick aligned to a multiple of `interval_s` (every replica computes the same)."""
    now = time.time() if now is None else now
    return datetime.fromtimestamp(math.floor(now / interval_s) * interval_s + interval_s, UTC)


async def list_jobs(state: SchedulerState[Any], runs_per_job: int) -> list[JobView]:
    """Every job with its schedule here and its newest `runs_per_job` runs, newest first."""
    jobs = state.schedule.every()
    async with state.sessionmaker() as session:
        periods = await intervals(state.environment, session, jobs)
    on = scheduled(state)
    views = []
    for job in jobs:
        enabled = job.name in on
        views.append(
            JobView(
                job=job,
                interval_s=periods[job.name],
                enabled=enabled,
                next_tick=next_tick(periods[job.name]) if enabled else None,
                last_runs=await state.jobs.listing(job.name, runs_per_job),
            )
        )
    return views
