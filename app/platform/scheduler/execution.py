"""A job run's execution: its body and outcome in one transaction, retried on a busy database.

The runner (`app.platform.scheduler.runs.JobRunner`) claims a run and launches it on the run engine;
here its body runs, and the run ends: `succeeded` (or `degraded`, keeping what it did) with the
work, in one transaction; else, the work undone, `skipped`, `failed` with its problem, or
`aborted` when the process stops, in a transaction of its own. A body that met a busy database is
attempted again, the ledger counting its attempts.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Generic, TypeVar

from sqlalchemy.exc import DBAPIError

from app.platform.core.clock import utcnow
from app.platform.core.errors import RUN_ABORTED, problem_summary
from app.platform.db.failures import is_database_busy
from app.platform.db.repositories.jobs import JobRepository
from app.platform.observability.prometheus import observe_job_run
from app.platform.runs.job import Degraded, Job, JobSkipped, problem_of
from app.platform.runs.run_engine import RunEngine
from app.platform.runtime.progress import RunAborted, Tracker, tracking

logger = logging.getLogger(__name__)

# A body that met a busy database (a lock wait or a statement past its timeout, a deadlock;
# on SQLite, another process keeping the file locked past the busy timeout) is run again: its
# transaction was undone, and a job is meant to be run again anyway, at its next tick. Five
# attempts wait 5 s in all.
BUSY_ATTEMPTS = 5
BUSY_BACKOFF_S = 0.5

Context = TypeVar("Context")


class JobExecutor(Generic[Context]):
    """Runs a claimed job run's body, attempt after attempt while the database is busy, and
    records how the run ended."""

    def __init__(self, engine: RunEngine, context: Context) -> None:
        self.engine = engine  # its sessions are where runs open their transactions
        self.context = context
        """What the jobs' bodies are handed beside their session (the app's state)."""

    async def execute(self, job: Job[Context], run_id: int, tracker: Tracker) -> str:
        """Run `job`'s body for run `run_id` and record its outcome: 'ran', 'skipped',
        'degraded', 'failed' or 'aborted'."""
        started = time.perf_counter()
        attempt = 1
        try:
            while True:
                try:
                    return await self._attempt(job, run_id, tracker, started, attempt)
                except DBAPIError as exc:
                    if attempt == BUSY_ATTEMPTS or not is_database_busy(exc):
                        raise
                    # Expected on SQLite (one writer at a time), and retried: not a failure.
                    logger.info(
                        "jobs: run %d of %s waits for the database, which another write holds "
                        "(%s); retrying in %.1f s (attempt %d of %d)",
                        run_id,
                        job.name,
                        str(exc.orig)[:200],
                        BUSY_BACKOFF_S * attempt,
                        attempt + 1,
                        BUSY_ATTEMPTS,
                    )
                    await asyncio.sleep(BUSY_BACKOFF_S * attempt)
                    attempt += 1
        except JobSkipped as exc:
            await self._end(job, run_id, "skipped", started, attempt, error=str(exc))
            return "skipped"
        except (RunAborted, asyncio.CancelledError):
            logger.warning("jobs: run %d of %s aborted: the service is stopping", run_id, job.name)
            await self._end(job, run_id, "aborted", started, attempt, problem=RUN_ABORTED)
            return "aborted"
        except Exception as exc:  # its text (SQL, parameters, ...) goes to the log only
            logger.exception("jobs: run %d of %s failed", run_id, job.name)
            problem = problem_of(exc, run_id)
            await self._end(
                job,
                run_id,
                "failed",
                started,
                attempt,
                problem=problem,
                error=problem_summary(problem, run_id),
            )
            return "failed"

    async def _attempt(
        self, job: Job[Context], run_id: int, tracker: Tracker, started: float, attempt: int
    ) -> str:
        """The body and the run's outcome (the `attempt`-th) in one transaction; what it wrote
        is undone if it raises (and so may be attempted again)."""
        async with self.engine.sessions() as session:
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
                attempts=attempt,
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
        job: Job[Context],
        run_id: int,
        status: str,
        started: float,
        attempts: int,
        *,
        error: str | None = None,
        problem: dict[str, Any] | None = None,
    ) -> None:
        """The outcome of a run whose own transaction rolled back, in a transaction of its own."""
        detail = error if problem is None or error is not None else str(problem.get("detail"))
        observe_job_run(job.name, status, _ms(started) / 1000)
        try:
            async with self.engine.sessions() as session:
                await JobRepository(session).finish(
                    run_id,
                    status,
                    error=(detail or "")[:2000] or None,
                    problem=problem,
                    finished_at=utcnow(),
                    duration_ms=_ms(started),
                    attempts=attempts,
                )
                await session.commit()
        except Exception:  # the database is gone too: the next claimant aborts it as stale
            logger.warning("jobs: outcome of run %d not recorded", run_id, exc_info=True)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
