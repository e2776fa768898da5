"""The one runner of every job run: scheduled ticks and runs requested over the API alike.

A run is first recorded `running` in the job ledger and committed, so any replica can follow it
(at most one run of a job is running anywhere: a partial unique index says so). The job's work
then runs in a transaction of its own that also records its outcome; a failure rolls the work
back and records the failure with its problem. On PostgreSQL a live run's progress and heartbeat
are written every second, and a run whose heartbeat stops (its process died) is aborted by the
next claimant. When the process stops, each run ends at its next safe point (see
`app.runtime.progress`) or, after a short grace, where it is; either way its transaction is
undone and it is recorded `aborted`, never left `running`: the job's next tick runs it again.
A job that an outside dependency (KuCoin) kept from its purpose returns `Degraded`: the run ends
`degraded`, keeping what it did (its result) and saying why (its problem); like every ended run
it took its tick.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.clock import utcnow
from app.core.errors import ConflictError, problem_summary
from app.core.log import bound
from app.db.failures import is_database_busy
from app.db.models import JobRun
from app.db.repositories.jobs import JobRepository
from app.observability.metrics import observe_job_run
from app.runtime.heap import release_free_heap
from app.runtime.progress import RunAborted, Tracker, tracking
from app.scheduler.job import (
    ABORTED,
    Degraded,
    Job,
    JobSkipped,
    RunInProgress,
    RunnerStopping,
    problem_of,
    replica_name,
)

logger = logging.getLogger(__name__)

HEARTBEAT_S = 1.0
STALE_AFTER = timedelta(seconds=5)  # five missed heartbeats: the process is gone
ABORT_GRACE_S = 2.0  # how long a stopping process lets a run reach its next safe point
POLL_S = 0.25  # following a run of another replica
# A body that met a busy database (a lock or snapshot conflict, a timeout) is run again: its
# transaction was undone, and a job is meant to be run again anyway, at its next tick. SQLite
# refuses at once a write after a read whose snapshot another connection's commit made stale;
# a scoring run there commits its heartbeat every second for seconds on end, so a sync beside it
# may meet that more than twice (seen on a loaded machine: 0.5 + 1.0 s of waiting were not
# enough). Five attempts wait 5 s in all.
BUSY_ATTEMPTS = 5
BUSY_BACKOFF_S = 0.5

Context = TypeVar("Context")


@dataclass
class _Live:
    job: str
    task: asyncio.Task[str]
    tracker: Tracker


class JobRunner(Generic[Context]):
    """Claims, executes, follows and, at shutdown, aborts the job runs of this process."""

    def __init__(
        self,
        sessions: Callable[[], AbstractAsyncContextManager[AsyncSession]],
        *,
        context: Context,
        single_process: bool,
        replica: str | None = None,
        trim_heap: bool = False,
    ) -> None:
        self.sessions = sessions
        """Where runs open their transactions (tests join them to a rolled-back session)."""
        self.context = context
        """What the jobs' bodies are handed beside their session (the app's state)."""
        self.replica = replica or replica_name()
        self.trim_heap = trim_heap
        """Hand the C heap's free pages back to the system after each run (app.runtime.heap)."""
        # SQLite: one process, whose run holds the only write lock; no heartbeats to write.
        self.stale_after = None if single_process else STALE_AFTER
        self._live: dict[int, _Live] = {}
        self._background: list[asyncio.Task[None]] = []
        self.swept = asyncio.Event()
        """Set once the startup sweep of abandoned runs is over."""
        self._stopping = False

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Abort the runs a stopped process left behind (in the background: the database may be
        slow or down at startup) and, on PostgreSQL, beat the heartbeats of live runs."""
        now = utcnow()
        before = now if self.stale_after is None else now - self.stale_after
        sweep = self._sweep_at_start(self.sessions, before)
        self._background.append(asyncio.create_task(sweep, name="job-sweep"))
        if self.stale_after is not None:
            self._background.append(asyncio.create_task(self._beat(), name="job-heartbeats"))

    async def stop(self, grace_s: float = ABORT_GRACE_S) -> None:
        """Stop: no new runs; live ones end at their next safe point, or are cancelled after
        `grace_s`; each is recorded aborted."""
        self._stopping = True
        live = list(self._live.values())
        for run in live:
            run.tracker.stopping = True
        if live:
            await asyncio.wait([run.task for run in live], timeout=grace_s)
        for run in live:
            run.task.cancel()
        await asyncio.gather(*(run.task for run in live), return_exceptions=True)
        for task in self._background:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._background = []

    # -- starting runs -----------------------------------------------------------------------

    async def submit(self, job: Job[Context], *, requested_by: str) -> JobRun:
        """Start a run of `job` now, in the background; RunInProgress when one is running."""
        run_id = await self._claim(job, None, self.replica, requested_by)
        if run_id is None:
            raise RuntimeError("unreachable: a requested run either starts or conflicts")
        self._launch(job, run_id)
        return await self.get(run_id)

    async def run_tick(
        self,
        job: Job[Context],
        tick: datetime,
        *,
        replica: str | None = None,
        requested_by: str = "scheduler",
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
        return await asyncio.shield(self._launch(job, run_id, tick))

    async def _claim(
        self, job: Job[Context], tick: datetime | None, replica: str, requested_by: str
    ) -> int | None:
        """The new run's id; None when `tick` is already taken; RunInProgress when a run of
        `job` is running (after aborting it if its heartbeat stopped)."""
        if self._stopping:
            raise RunnerStopping(
                "the service is stopping; retry on another replica", retry_after_s=5
            )
        for live_id, live in self._live.items():  # here: no need to ask (or wait for) the database
            if live.job == job.name:
                raise RunInProgress(job.name, live_id)
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
                if self.stale_after is None or not await jobs.abort_stale(
                    now - self.stale_after, now, _abandoned(), job.name
                ):
                    await session.rollback()
                    raise RunInProgress(job.name, running_id)
                logger.warning("jobs: run %d of %s had no heartbeat; aborted", running_id, job.name)
            await session.rollback()
        raise ConflictError(f"runs of {job.name} keep starting elsewhere; retry")

    def _launch(
        self, job: Job[Context], run_id: int, tick: datetime | None = None
    ) -> asyncio.Task[str]:
        tracker = Tracker()
        with bound(job=job.name, run_id=run_id, tick=tick.isoformat() if tick else None):
            task = asyncio.create_task(self._execute(job, run_id, tracker), name=f"job-{run_id}")
        self._live[run_id] = _Live(job.name, task, tracker)
        task.add_done_callback(lambda _: self._live.pop(run_id, None))
        return task

    # -- executing ---------------------------------------------------------------------------

    async def _execute(self, job: Job[Context], run_id: int, tracker: Tracker) -> str:
        try:
            return await self._outcome(job, run_id, tracker)
        finally:
            if self.trim_heap and not self._stopping:
                await release_free_heap()

    async def _outcome(self, job: Job[Context], run_id: int, tracker: Tracker) -> str:
        started = time.perf_counter()
        try:
            attempt = 1
            while True:
                try:
                    return await self._attempt(job, run_id, tracker, started)
                except DBAPIError as exc:
                    if attempt == BUSY_ATTEMPTS or not is_database_busy(exc):
                        raise
                    logger.warning(
                        "jobs: run %d of %s met a busy database (%s); again",
                        run_id,
                        job.name,
                        str(exc.orig)[:200],
                    )
                    await asyncio.sleep(BUSY_BACKOFF_S * attempt)
                    attempt += 1
        except JobSkipped as exc:
            await self._end(run_id, "skipped", started, error=str(exc))
            return "skipped"
        except (RunAborted, asyncio.CancelledError):
            logger.warning("jobs: run %d of %s aborted: the service is stopping", run_id, job.name)
            await self._end(run_id, "aborted", started, problem=ABORTED)
            return "aborted"
        except Exception as exc:  # its text (SQL, parameters, ...) goes to the log only
            logger.exception("jobs: run %d of %s failed", run_id, job.name)
            problem = problem_of(exc, run_id)
            await self._end(
                run_id, "failed", started, problem=problem, error=problem_summary(problem, run_id)
            )
            return "failed"

    async def _attempt(
        self, job: Job[Context], run_id: int, tracker: Tracker, started: float
    ) -> str:
        """The body and the run's outcome in one transaction; what it wrote is undone if it
        raises (and so may be attempted again)."""
        async with self.sessions() as session:
            with tracking(tracker):
                outcome = await job.body(session, self.context)
            status, result, problem = "succeeded", outcome, None
            if isinstance(outcome, Degraded):
                status, result, problem = "degraded", outcome.result, outcome.problem
                logger.warning(
                    "jobs: run %d of %s degraded: %s", run_id, job.name, problem.get("detail")
                )
            jobs = JobRepository(session)
            if not await jobs.finish(
                run_id,
                status,
                result=result,
                progress=1.0,
                finished_at=utcnow(),
                duration_ms=_ms(started),
                problem=problem,
                error=None if problem is None else str(problem.get("detail"))[:2000],
            ):
                await session.rollback()  # aborted as abandoned meanwhile: undo the work
                logger.warning("jobs: run %d of %s was aborted meanwhile", run_id, job.name)
                observe_job_run(job.name, "aborted", _ms(started) / 1000)
                return "aborted"
            await session.commit()
        observe_job_run(job.name, status, _ms(started) / 1000)
        return "ran" if status == "succeeded" else status

    async def _end(
        self,
        run_id: int,
        status: str,
        started: float,
        *,
        error: str | None = None,
        problem: dict[str, Any] | None = None,
    ) -> None:
        """The outcome of a run whose own transaction rolled back, in a transaction of its own."""
        detail = error if problem is None or error is not None else str(problem.get("detail"))
        live = self._live.get(run_id)
        if live is not None:
            observe_job_run(live.job, status, _ms(started) / 1000)
        try:
            async with self.sessions() as session:
                await JobRepository(session).finish(
                    run_id,
                    status,
                    error=(detail or "")[:2000] or None,
                    problem=problem,
                    finished_at=utcnow(),
                    duration_ms=_ms(started),
                )
                await session.commit()
        except Exception:  # the database is gone too: the next claimant aborts it as stale
            logger.warning("jobs: outcome of run %d not recorded", run_id, exc_info=True)

    # -- following ---------------------------------------------------------------------------

    def progress(self, run_id: int) -> float | None:
        """The live progress of a run of this process (fresher than its row)."""
        live = self._live.get(run_id)
        return None if live is None else round(live.tracker.done, 6)

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
        """`run` with this process's live progress, when it runs here (fresher than its row)."""
        live = self.progress(run.id)
        if live is not None and run.status == "running":
            run.progress = live
        return run

    async def wait(self, run_id: int, timeout_s: float) -> JobRun:
        """The run once it has ended, or as it is after `timeout_s`."""
        deadline = time.monotonic() + timeout_s
        live = self._live.get(run_id)
        if live is not None:
            await asyncio.wait([live.task], timeout=timeout_s)
        else:  # another replica's: follow its row
            while time.monotonic() < deadline:
                if (await self.get(run_id)).status != "running":
                    break
                await asyncio.sleep(POLL_S)
        return await self.get(run_id)

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_S)
            if not self._live:
                continue
            try:
                async with self.sessions() as session:
                    jobs = JobRepository(session)
                    for run_id, live in list(self._live.items()):
                        await jobs.heartbeat(run_id, round(live.tracker.done, 6), utcnow())
                    await session.commit()
            except asyncio.CancelledError:
                raise
            except Exception:  # the database is down: the runs' own transactions will tell
                logger.warning("jobs: heartbeats not written", exc_info=True)

    async def _sweep_at_start(
        self, sessions: Callable[[], AbstractAsyncContextManager[AsyncSession]], before: datetime
    ) -> None:
        """Abort the runs with no heartbeat since `before` (SQLite: those started before this
        process, the only one)."""
        try:
            async with sessions() as session:
                ids = await JobRepository(session).abort_stale(before, utcnow(), _abandoned(), None)
                await session.commit()
        except Exception:
            logger.warning("jobs: abandoned runs not checked at startup", exc_info=True)
            return
        finally:
            self.swept.set()
        if ids:
            logger.warning("jobs: %d run(s) left by a stopped process marked aborted", len(ids))


def _abandoned() -> dict[str, Any]:
    return {**ABORTED, "detail": "the process running it stopped; nothing of it was kept"}


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
