"""First start: sync and score at once instead of at the next aligned tick.

While a first-start step (the schedule's `first_start`: the universe sync, then the score
refresh) has not succeeded within its interval (a fresh
database, or one a stopped service left behind), the leader runs it now, through the job runner:
first as the run of the aligned tick that passed without it (the ledger's UNIQUE job + tick makes
it one run however many replicas start together), then, if that ended without success (KuCoin
unreachable: `degraded`), again with backoff, each retry a run of its own second. The other
replicas only look again now and then, in case they come to lead before it is done.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from datetime import UTC, datetime, timedelta
from typing import Generic

from app.platform.core.clock import utcnow
from app.platform.db.repositories.jobs import JobRepository
from app.platform.runs.job import Context, Job, RunnerStopping
from app.platform.runtime.backoff import backoff_delay
from app.platform.scheduler.catalog import intervals
from app.platform.scheduler.leadership import Leadership
from app.platform.scheduler.schedule import SchedulerState

logger = logging.getLogger(__name__)

REQUESTER = "bootstrap"
RETRY_BASE_S, RETRY_MAX_S = 5.0, 300.0
POLL_S = 2.0  # a run of the job already going, or another replica leading: look again


class Bootstrap(Generic[Context]):
    """Runs the steps that are due, in order, as the leader, until none is."""

    def __init__(
        self, state: SchedulerState[Context], leadership: Leadership, replica: str
    ) -> None:
        self.state = state
        self.leadership = leadership
        self.replica = replica
        self._failures, self._aligned = 0, True

    async def run(self) -> None:
        """Until no step is due (returns at once when none is)."""
        self._failures, self._aligned = 0, True  # a step's first try: the run of the last tick
        while True:
            try:
                if not await self._step():
                    break
            except asyncio.CancelledError:
                raise
            except RunnerStopping:  # the service is stopping: nothing more to catch up here
                logger.info("bootstrap: the job runner is stopping; not catching up")
                return
            except Exception:  # the database, say: as a job's tick would, try again shortly
                logger.exception("bootstrap: step failed outside its run")
                await asyncio.sleep(POLL_S)
        logger.info("bootstrap: nothing (more) to catch up")

    async def _step(self) -> bool:
        """One try at the first due step; False when none is due."""
        due = await self._due()
        if due is None:
            return False
        job, interval_s, busy = due
        if busy or not await self.leadership.check():
            await asyncio.sleep(POLL_S)
            return True
        tick = _tick(interval_s if self._aligned else 1.0)
        logger.info("bootstrap: %s now (tick %s)", job.name, tick.isoformat())
        outcome = await self.state.jobs.run_tick(
            job, tick, replica=self.replica, requested_by=REQUESTER
        )
        if outcome == "ran":
            self._failures, self._aligned = 0, True
        elif outcome == "taken":  # that tick has its run already: one of our own, at once
            self._aligned = False
        elif outcome != "skipped":  # degraded, failed, aborted (KuCoin, say): again, later
            self._failures, self._aligned = self._failures + 1, False
            delay = backoff_delay(self._failures, base_s=RETRY_BASE_S, max_s=RETRY_MAX_S)
            logger.warning("bootstrap: %s %s; again in %.0f s", job.name, outcome, delay)
            await asyncio.sleep(delay)
        return True

    async def _due(self) -> tuple[Job[Context], float, bool] | None:
        """The first step without a success within its interval, its interval and whether a
        run of it is going; None when every step is fresh."""
        steps = self.state.schedule.first_start
        async with self.state.sessionmaker() as session:
            periods = await intervals(self.state.environment, session, steps)
            jobs = JobRepository(session)
            for job in steps:
                succeeded = await jobs.last_succeeded_at(job.name)
                period = timedelta(seconds=periods[job.name])
                if succeeded is None or utcnow() - succeeded > period:
                    return job, periods[job.name], await jobs.running(job.name) is not None
        return None


def _tick(step_s: float) -> datetime:
    """The latest multiple of `step_s` (seconds since the epoch) not after now."""
    return datetime.fromtimestamp(math.floor(time.time() / step_s) * step_s, UTC)
