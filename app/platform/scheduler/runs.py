"""The one runner of every job run: scheduled ticks and runs requested over the API alike.

A run is first recorded `running` in the job ledger and committed, so any replica can follow it
(at most one run of a job is running anywhere: a partial unique index says so). The job's work
then runs in a transaction of its own that also records its outcome; a failure rolls the work
back and records the failure with its problem (the run's execution:
`app.platform.scheduler.execution`). Heartbeats, the start-up sweep, waiting and the
stop are the run engine's (`app.platform.runs.run_engine`), as for every background run; a run whose
heartbeat stopped (its process died) is also aborted by the job's next claimant. When the process
stops, each run ends at its next safe point (see `app.platform.runtime.progress`) or, after a short
grace, where it is; either way its transaction is undone and it is recorded `aborted`, never left
`running`: the job's next tick runs it again. A job that an outside dependency (KuCoin) kept from
its purpose returns `Degraded`: the run ends `degraded`, keeping what it did (its result) and saying
why (its problem); like every ended run it took its tick.
"""

from __future__ import annotations

import asyncio
import logging
import math
from datetime import datetime
from typing import Generic, TypeVar

from app.platform.core.clock import utcnow
from app.platform.core.errors import ConflictError, TooManyRequestsError
from app.platform.core.log import bound
from app.platform.db.models import JobRun
from app.platform.db.repositories.jobs import JobRepository
from app.platform.observability.prometheus import observe_job_run
from app.platform.runs.job import SCHEDULER, Job, RunInProgress, RunnerStopping, on_behalf_of
from app.platform.runs.run_engine import LiveRun, RunEngine, Sessions
from app.platform.runtime.heap import release_free_heap
from app.platform.scheduler.execution import JobExecutor

logger = logging.getLogger(__name__)

Context = TypeVar("Context")


class JobRunner(Generic[Context]):
    """Claims and executes the job runs of this process, and reads them with their live
    progress; the run engine beats, follows and stops them."""

    def __init__(
        self,
        engine: RunEngine,
        *,
        context: Context,
        replica: str | None = None,
        trim_heap: bool = False,
        request_gap_s: float = 0.0,
    ) -> None:
        self.engine = engine
        self.executor = JobExecutor(engine, context)
        """Where a launched run's body runs and its outcome is recorded."""
        self.replica = replica or engine.replica
        self.trim_heap = trim_heap
        """Hand the C heap's free pages back to the system after each run
        (app.platform.runtime.heap)."""
        self.request_gap_s = request_gap_s
        """Least time between the starts of two requested runs of one job (0: none)."""

    @property
    def context(self) -> Context:
        """What the jobs' bodies are handed beside their session (the app's state)."""
        return self.executor.context

    @property
    def sessions(self) -> Sessions:
        """Where runs open their transactions: the engine's."""
        return self.engine.sessions

    # -- starting runs -----------------------------------------------------------------------

    async def submit(self, job: Job[Context], *, requested_by: str) -> JobRun:
        """Start a run of `job` now, in the background; RunInProgress when one is running,
        TooManyRequestsError within `request_gap_s` of the end of the last requested one."""
        await self._after_gap(job)
        run_id = await self._claim(job, None, self.replica, requested_by)
        if run_id is None:
            raise RuntimeError("unreachable: a requested run either starts or conflicts")
        self._launch(job, run_id, requester=requested_by)
        return await self.get(run_id)

    async def _after_gap(self, job: Job[Context]) -> None:
        if not self.request_gap_s:
            return
        async with self.sessions() as session:
            last = await JobRepository(session).last_requested(job.name)
            if last is None or last.finished_at is None:  # still running: RunInProgress says
                return
            last_id, ended = last.id, last.finished_at
        left_s = self.request_gap_s - (utcnow() - ended).total_seconds()
        if left_s > 0:
            retry = math.ceil(left_s)
            raise TooManyRequestsError(
                f"{job.name} was last requested as run {last_id}, which ended "
                f"{self.request_gap_s - left_s:.0f} s ago; a requested run of one job starts at "
                f"least {self.request_gap_s:g} s after the last one ended, across replicas; "
                f"retry after {retry} s.",
                retry_after_s=retry,
                extra={"limit": "job_request", "job": job.name, "run_id": last_id},
            )

    async def run_tick(
        self,
        job: Job[Context],
        tick: datetime,
        *,
        replica: str | None = None,
        requested_by: str = SCHEDULER,
    ) -> str:
        """Run `job` for `tick` unless some replica already has: 'ran', 'taken', 'skipped',
        'degraded', 'failed' or 'aborted'."""
        replica = replica or self.replica
        try:
            run_id = await self._claim(job, tick, replica, requested_by)
        except RunInProgress as busy:  # recorded, so the ledger shows why the tick did nothing
            async with self.sessions() as session:
                recorded = await JobRepository(session).claim(
                    job.name,
                    replica,
                    utcnow(),
                    tick=tick,
                    status="skipped",
                    error=f"run {busy.run_id} of {job.name} is still running",
                    requested_by=requested_by,
                )
                await session.commit()
            if recorded is not None:
                observe_job_run(job.name, "skipped", None)
            return "skipped" if recorded is not None else "taken"
        if run_id is None:
            return "taken"
        return await asyncio.shield(self._launch(job, run_id, tick, requester=requested_by))

    async def _claim(
        self, job: Job[Context], tick: datetime | None, replica: str, requested_by: str
    ) -> int | None:
        """The new run's id; None when `tick` is already taken; RunInProgress when a run of
        `job` is running (after aborting it if its heartbeat stopped)."""
        if self.engine.stopping:
            raise RunnerStopping(
                "the service is stopping; retry on another replica", retry_after_s=5
            )
        for live in self.engine.live_in(JobRepository):  # here: no need to ask the database
            if live.name == job.name:
                raise RunInProgress(job.name, live.run_id)
        async with self.sessions() as session:
            jobs = JobRepository(session)
            for _ in range(3):  # a run that ends, or is found abandoned, frees the job: again
                now = utcnow()
                claimed = await jobs.claim(
                    job.name, replica, now, tick=tick, requested_by=requested_by
                )
                if claimed is not None:
                    await session.commit()
                    return claimed
                if tick is not None and await jobs.at_tick(job.name, tick) is not None:
                    await session.rollback()
                    return None
                running = await jobs.running(job.name)
                if running is None:
                    continue
                running_id = running.id
                stale_before = self.engine.stale_before(now)
                if stale_before is None or not await jobs.abort_stale(stale_before, now, job.name):
                    await session.rollback()
                    raise RunInProgress(job.name, running_id)
                logger.warning("jobs: run %d of %s had no heartbeat; aborted", running_id, job.name)
            await session.rollback()
        raise ConflictError(f"runs of {job.name} keep starting elsewhere; retry")

    def _launch(
        self,
        job: Job[Context],
        run_id: int,
        tick: datetime | None = None,
        *,
        requester: str = SCHEDULER,
    ) -> asyncio.Task[str]:
        """The run's task, started in a context that names `requester` (the task copies it)."""
        with (
            bound(job=job.name, run_id=run_id, tick=tick.isoformat() if tick else None),
            on_behalf_of(requester),
        ):
            return self.engine.launch(
                JobRepository, run_id, job.name, lambda live: self._execute(job, live)
            )

    # -- executing ---------------------------------------------------------------------------

    async def _execute(self, job: Job[Context], live: LiveRun) -> str:
        try:
            return await self.executor.execute(job, live.run_id, live.tracker)
        finally:
            if self.trim_heap and not self.engine.stopping:
                await release_free_heap()

    # -- following ---------------------------------------------------------------------------

    def progress(self, run_id: int) -> float | None:
        """The live progress of a run of this process (fresher than its row)."""
        return self.engine.progress(JobRepository, run_id)

    async def get(self, run_id: int) -> JobRun:
        async with self.sessions() as session:
            run = await JobRepository(session).get(run_id)
        if run is None:
            raise LookupError(run_id)
        return self._with_live_progress(run)

    async def listing(self, job: str | None, limit: int) -> list[JobRun]:
        async with self.sessions() as session:
            runs = await JobRepository(session).listing(job, limit)
        return [self._with_live_progress(run) for run in runs]

    def _with_live_progress(self, run: JobRun) -> JobRun:
        return self.engine.with_live_progress(JobRepository, run)

    async def wait(self, run_id: int, timeout_s: float) -> JobRun:
        """The run once it has ended, or as it is after `timeout_s`."""
        await self.engine.wait(JobRepository, run_id, timeout_s)
        return await self.get(run_id)
