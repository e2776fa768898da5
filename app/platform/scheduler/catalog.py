"""The registry of jobs as the API shows it: every job `all_jobs` knows, with its period, whether
this replica schedules it, its next tick and its newest runs."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.db.models import JobRun
from app.platform.runs.job import Job
from app.platform.scheduler.bodies import all_jobs
from app.platform.settings_store.reader import read_settings_as
from app.state import AppState


@dataclass(frozen=True)
class JobView:
    job: Job[AppState]
    interval_s: float
    enabled: bool
    next_tick: datetime | None
    last_runs: Sequence[JobRun]


def registry() -> list[Job[AppState]]:
    """Every job there is (switched on here or not), in the scheduler's order."""
    return all_jobs(auto_rebalance_enabled=True)


def find(name: str) -> Job[AppState] | None:
    return next((job for job in registry() if job.name == name), None)


def scheduled(state: AppState) -> set[str]:
    """The names of the jobs this replica's scheduler runs."""
    if not state.settings.scheduler.enabled:
        return set()
    on = all_jobs(auto_rebalance_enabled=state.settings.scheduler.auto_rebalance)
    return {job.name for job in on}


async def intervals(
    state: AppState, session: AsyncSession, jobs: Sequence[Job[AppState]]
) -> dict[str, float]:
    """Each job's period in seconds: the `tick_s` override, else its stored setting."""
    override = state.settings.scheduler.tick_s
    if override is not None:
        return {job.name: float(override) for job in jobs}
    values = await read_settings_as(session, {job.period for job in jobs}, float)
    return {job.name: max(values[job.interval_key], 1.0) for job in jobs}


def next_tick(interval_s: float, now: float | None = None) -> datetime:
    """The next tick aligned to a multiple of `interval_s` (every replica computes the same)."""
    now = time.time() if now is None else now
    return datetime.fromtimestamp(math.floor(now / interval_s) * interval_s + interval_s, UTC)


async def list_jobs(state: AppState, runs_per_job: int) -> list[JobView]:
    """Every job with its schedule here and its newest `runs_per_job` runs, newest first."""
    jobs = registry()
    async with state.sessionmaker() as session:
        periods = await intervals(state, session, jobs)
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
