"""The job ledger: one `job_run` row per job and scheduled tick, ever."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import JobRun


class JobRepository:
    """The `job_run` ledger: one row per job and tick."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(self, job: str, tick: datetime, replica: str, now: datetime) -> int | None:
        """Insert the ledger row of (job, tick); None when another replica already has it.

        Inside the job's transaction: if the job fails or the process dies, the row goes too.
        """
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        statement = (
            dialect.insert(JobRun)
            .values(job=job, scheduled_tick=tick, replica=replica, status="running", started_at=now)
            .on_conflict_do_nothing()
            .returning(JobRun.id)
        )
        return await self.session.scalar(statement)

    async def finish(
        self,
        run_id: int,
        status: str,
        result: dict[str, Any],
        *,
        finished_at: datetime,
        duration_ms: float,
        error: str | None = None,
    ) -> None:
        run = await self.session.get(JobRun, run_id)
        if run is not None:
            run.status, run.result, run.error = status, result, error
            run.finished_at, run.duration_ms = finished_at, duration_ms
            await self.session.flush()

    async def latest(self) -> Sequence[JobRun]:
        """The newest run of each job."""
        newest = (
            select(JobRun.job, func.max(JobRun.scheduled_tick).label("tick"))
            .group_by(JobRun.job)
            .subquery()
        )
        query = select(JobRun).join(
            newest, (JobRun.job == newest.c.job) & (JobRun.scheduled_tick == newest.c.tick)
        )
        return (await self.session.scalars(query.order_by(JobRun.job))).all()
