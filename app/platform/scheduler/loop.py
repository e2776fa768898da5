"""The in-process scheduler: every job at epoch-aligned ticks, at most once per tick overall.

Each replica computes the same tick times. At a tick the leader (see `Leadership`) hands the job
to the job runner (`app.platform.scheduler.runs`), which records the run in the `job_run` ledger
(UNIQUE job + tick) before it starts: a second replica that slips through (a leadership change at
the wrong moment) finds the tick taken and does nothing.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import time
from datetime import UTC, datetime
from typing import Generic

from app.platform.runs.job import Context, Job
from app.platform.runtime.background import cancel_and_wait
from app.platform.runtime.replica import replica_name
from app.platform.scheduler.bootstrap import Bootstrap
from app.platform.scheduler.catalog import intervals
from app.platform.scheduler.leadership import Leadership
from app.platform.scheduler.schedule import SchedulerState, WarmUp

logger = logging.getLogger(__name__)
RECHECK_S = 60.0  # how often a waiting job re-reads its interval (changed over the API)


class Scheduler(Generic[Context]):
    def __init__(self, state: SchedulerState[Context], *, replica: str | None = None) -> None:
        environment = state.environment
        self.state = state
        self.replica = replica or replica_name()
        self.jobs = state.schedule.switched_on(environment.scheduler)
        self.leadership = Leadership(
            environment.database_url, connect_timeout_s=environment.database.connect_timeout_s
        )
        self._tasks: list[asyncio.Task[None]] = []
        self._rng = random.Random()

    def start(self) -> None:
        """Each job's schedule, and the first start's catch-up (`Bootstrap`) and the schedule's
        reads ahead beside them."""
        self._tasks = [
            asyncio.create_task(self._loop(job), name=f"job-{job.name}") for job in self.jobs
        ]
        bootstrap = Bootstrap(self.state, self.leadership, self.replica)
        self._tasks.append(asyncio.create_task(bootstrap.run(), name="job-bootstrap"))
        for warm in self.state.schedule.warm_ups:
            self._tasks.append(asyncio.create_task(self._warm_up(warm), name=warm.task))

    async def _warm_up(self, warm: WarmUp[Context]) -> None:
        try:
            async with self.state.sessionmaker() as session:
                await warm.read(session, self.state.jobs.context)
        except Exception:  # the database, say: the job's next run reads it
            logger.warning("scheduler: %s not read", warm.what, exc_info=True)

    async def stop(self) -> None:
        for task in self._tasks:
            await cancel_and_wait(task)
        self._tasks = []
        await self.leadership.release()

    async def _loop(self, job: Job[Context]) -> None:
        while True:
            try:
                interval = await self._interval(job)
                now = time.time()
                tick = math.floor(now / interval) * interval + interval
                jitter = self._rng.uniform(
                    0, min(self.state.environment.scheduler.jitter_s, interval / 4)
                )
                if not await self._sleep_until(job, tick + jitter, interval):
                    continue  # its interval changed: the next tick is computed anew
                if await self.leadership.check():
                    await self.run_tick(job, datetime.fromtimestamp(tick, UTC))
            except asyncio.CancelledError:
                raise
            except Exception:  # a job's bug must not stop its schedule
                logger.exception("scheduler: job %s failed outside its transaction", job.name)
                await asyncio.sleep(1.0)

    async def _sleep_until(self, job: Job[Context], when: float, interval: float) -> bool:
        """Sleep until `when` (epoch seconds); False as soon as the job's interval is found
        changed (re-read every RECHECK_S)."""
        while (left := when - time.time()) > 0:
            await asyncio.sleep(min(left, RECHECK_S))
            if time.time() >= when:
                break
            try:
                if await self._interval(job) != interval:
                    return False
            except Exception:  # the database is down: keep the tick already computed
                logger.debug("scheduler: interval of %s not re-read", job.name, exc_info=True)
        return True

    async def _interval(self, job: Job[Context]) -> float:
        async with self.state.sessionmaker() as session:
            return (await intervals(self.state.environment, session, [job]))[job.name]

    async def run_tick(self, job: Job[Context], tick: datetime) -> str:
        """Run `job` for `tick` unless some replica already has: 'ran', 'taken', 'skipped',
        'degraded', 'failed' or 'aborted' (the same runner as the runs requested over the API)."""
        return await self.state.jobs.run_tick(job, tick, replica=self.replica)
