"""The job ledger: one `job_run` row per run of a job, scheduled (one per job and tick, ever) or
requested (no tick); flushes, never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from app.platform.core.errors import RUN_ABANDONED
from app.platform.db.inserts import insert_unless_taken
from app.platform.db.models import JobRun

RUNNING = "running"


class JobRepository:
    """The `job_run` ledger: at most one row per job and tick, at most one running per job."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(
        self,
        job: str,
        replica: str,
        now: datetime,
        *,
        tick: datetime | None = None,
        requested_by: str | None = None,
        status: str = RUNNING,
        error: str | None = None,
    ) -> int | None:
        """Insert a run of `job` (for `tick`, if scheduled); None when (job, tick) is already
        recorded or, for a running row, when a run of `job` is running anywhere."""
        finished = None if status == RUNNING else now
        return await insert_unless_taken(
            self.session,
            JobRun,
            job=job,
            scheduled_tick=tick,
            replica=replica,
            requested_by=requested_by,
            status=status,
            progress=0.0,
            started_at=now,
            heartbeat_at=now,
            finished_at=finished,
            duration_ms=None if finished is None else 0.0,
            result={},
            error=error,
        )

    async def get(self, run_id: int) -> JobRun | None:
        return await self.session.get(JobRun, run_id, populate_existing=True)

    async def at_tick(self, job: str, tick: datetime) -> JobRun | None:
        query = select(JobRun).where(JobRun.job == job, JobRun.scheduled_tick == tick)
        return await self.session.scalar(query)

    async def last_requested(self, job: str) -> JobRun | None:
        """The newest run of `job` requested over the API (one with no scheduled tick)."""
        return await self._newest(job, JobRun.scheduled_tick.is_(None))

    async def running(self, job: str) -> JobRun | None:
        query = select(JobRun).where(JobRun.job == job, JobRun.status == RUNNING)
        return await self.session.scalar(query)

    async def last_succeeded_at(self, job: str) -> datetime | None:
        """When the newest successful run of `job` ended."""
        query = select(func.max(JobRun.finished_at)).where(
            JobRun.job == job, JobRun.status == "succeeded"
        )
        return await self.session.scalar(query)

    async def last_ended(self, job: str) -> JobRun | None:
        """The newest run of `job` that has ended (skipped ticks aside)."""
        return await self._newest(job, JobRun.status.not_in((RUNNING, "skipped")))

    async def _newest(self, job: str, condition: ColumnElement[bool]) -> JobRun | None:
        """The newest run of `job` meeting `condition`."""
        query = select(JobRun).where(JobRun.job == job, condition).order_by(JobRun.id.desc())
        return await self.session.scalar(query.limit(1))

    async def listing(self, job: str | None, limit: int) -> Sequence[JobRun]:
        """The newest runs first (of `job`, when given)."""
        query = select(JobRun).order_by(JobRun.id.desc()).limit(limit)
        if job is not None:
            query = query.where(JobRun.job == job)
        return (await self.session.scalars(query)).all()

    async def beat(self, run_id: int, status: str, now: datetime, progress: float) -> bool:
        """A live run's heartbeat and progress; False when it is not `status` any more (a peer
        found it abandoned and aborted it)."""
        outcome = await self.session.execute(
            update(JobRun)
            .where(JobRun.id == run_id, JobRun.status == status)
            .values(progress=progress, heartbeat_at=now)
        )
        return bool(getattr(outcome, "rowcount", 0))

    async def status_of(self, run_id: int) -> str | None:
        status: str | None = await self.session.scalar(
            select(JobRun.status).where(JobRun.id == run_id)
        )
        return status

    async def finish(self, run_id: int, status: str, **values: Any) -> bool:
        """End a running run (`status`, `result`, `error`, `problem`, `attempts`, times); False
        when it is not running any more (another replica judged it abandoned and aborted it)."""
        outcome = await self.session.execute(
            update(JobRun)
            .where(JobRun.id == run_id, JobRun.status == RUNNING)
            .values(status=status, **values)
        )
        return bool(getattr(outcome, "rowcount", 0))

    async def abort_stale(
        self, before: datetime, now: datetime, job: str | None = None
    ) -> list[int]:
        """Abort the running runs (of `job`, when given) with no heartbeat since `before`; their
        ids. Writes only when there is such a run."""
        stale = (JobRun.status == RUNNING) & (JobRun.heartbeat_at < before)
        if job is not None:
            stale = stale & (JobRun.job == job)
        ids = list((await self.session.scalars(select(JobRun.id).where(stale))).all())
        if ids:
            await self.session.execute(
                update(JobRun)
                .where(JobRun.id.in_(ids), stale)
                .values(
                    status="aborted",
                    finished_at=now,
                    problem=RUN_ABANDONED,
                    error=RUN_ABANDONED["detail"],
                )
            )
        return ids

    async def latest(self) -> Sequence[JobRun]:
        """The newest run of each job."""
        newest = select(func.max(JobRun.id)).group_by(JobRun.job).scalar_subquery()
        query = select(JobRun).where(JobRun.id.in_(newest)).order_by(JobRun.job)
        return (await self.session.scalars(query)).all()
