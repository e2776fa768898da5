"""The in-process scheduler: every job at epoch-aligned ticks, at most once per tick overall.

Each replica computes the same tick times. At a tick the leader (see `Leadership`) runs the job
in its own session, inserting the job's `job_run` row (UNIQUE job + tick) in the same
transaction as the job's writes: a second replica that slips through (a leadership change at
the wrong moment) conflicts on that row and rolls back without effect.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import random
import socket
import time
from datetime import UTC, datetime

from app.db.repositories.jobs import JobRepository
from app.db.types import utcnow
from app.scheduler.jobs import Job, JobSkipped, all_jobs
from app.scheduler.leadership import Leadership
from app.services.system.runtime_settings import read_setting
from app.state import AppState, announce_commit

logger = logging.getLogger(__name__)


def replica_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Scheduler:
    def __init__(self, state: AppState, *, replica: str | None = None) -> None:
        settings = state.settings
        self.state = state
        self.replica = replica or replica_name()
        self.jobs = all_jobs(auto_rebalance_enabled=settings.scheduler.auto_rebalance)
        self.leadership = Leadership(
            settings.database_url, connect_timeout_s=settings.database.connect_timeout_s
        )
        self._tasks: list[asyncio.Task[None]] = []
        self._rng = random.Random()

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._loop(job), name=f"job-{job.name}") for job in self.jobs
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        await self.leadership.release()

    async def _loop(self, job: Job) -> None:
        while True:
            try:
                interval = await self._interval(job)
                now = time.time()
                tick = math.floor(now / interval) * interval + interval
                jitter = self._rng.uniform(
                    0, min(self.state.settings.scheduler.jitter_s, interval / 4)
                )
                await asyncio.sleep(tick - now + jitter)
                if await self.leadership.check():
                    await self.run_tick(job, datetime.fromtimestamp(tick, UTC))
            except asyncio.CancelledError:
                raise
            except Exception:  # a job's bug must not stop its schedule
                logger.exception("scheduler: job %s failed outside its transaction", job.name)
                await asyncio.sleep(1.0)

    async def _interval(self, job: Job) -> float:
        if self.state.settings.scheduler.tick_s is not None:
            return self.state.settings.scheduler.tick_s
        async with self.state.sessionmaker() as session:
            value = await read_setting(session, job.interval_key)
        return max(float(value), 1.0)

    async def run_tick(self, job: Job, tick: datetime) -> str:
        """Run `job` for `tick` unless some replica already has: 'ran', 'taken', 'skipped',
        'failed'."""
        started = time.perf_counter()
        async with self.state.sessionmaker() as session:
            jobs = JobRepository(session)
            run_id = await jobs.claim(job.name, tick, self.replica, utcnow())
            if run_id is None:
                await session.rollback()
                return "taken"
            try:
                result = await job.body(session, self.state)
            except JobSkipped as exc:
                await session.rollback()
                await self._record(job, tick, "skipped", {}, started, str(exc))
                return "skipped"
            except Exception as exc:
                await session.rollback()
                logger.exception("scheduler: %s failed at %s", job.name, tick.isoformat())
                await self._record(
                    job, tick, "failed", {}, started, f"{exc.__class__.__name__}: {exc}"
                )
                return "failed"
            await jobs.finish(
                run_id, "succeeded", result, finished_at=utcnow(), duration_ms=_ms(started)
            )
            await session.commit()
            announce_commit(self.state, session)
        return "ran"

    async def _record(
        self, job: Job, tick: datetime, status: str, result: dict[str, object], started: float,
        error: str,
    ) -> None:  # fmt: skip
        """The outcome of a run whose own transaction rolled back, in a transaction of its own."""
        async with self.state.sessionmaker() as session:
            jobs = JobRepository(session)
            run_id = await jobs.claim(job.name, tick, self.replica, utcnow())
            if run_id is not None:
                await jobs.finish(
                    run_id, status, dict(result), finished_at=utcnow(),
                    duration_ms=_ms(started), error=error[:2000],
                )  # fmt: skip
                await session.commit()


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
