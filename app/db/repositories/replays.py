"""Queries on `replay_run`; flushes, never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from app.db.models import ReplayRun


class ReplayRepository:
    """The `replay_run` table: runs as asked, their progress and their reports."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, run: ReplayRun) -> ReplayRun:
        self.session.add(run)
        await self.session.flush()
        return run

    async def get(self, run_id: int) -> ReplayRun | None:
        return await self.session.get(ReplayRun, run_id)

    async def listing(self, limit: int) -> Sequence[ReplayRun]:
        """The newest runs first, without their (large) reports."""
        query = (
            select(ReplayRun)
            .options(defer(ReplayRun.report, raiseload=True))
            .order_by(ReplayRun.id.desc())
            .limit(limit)
        )
        return (await self.session.scalars(query)).all()

    async def latest_succeeded(self, kind: str, policy_hash: str | None = None) -> ReplayRun | None:
        """The newest succeeded run of `kind` (judging `policy_hash`, when given)."""
        query = select(ReplayRun).where(ReplayRun.kind == kind, ReplayRun.status == "succeeded")
        if policy_hash is not None:
            query = query.where(ReplayRun.policy_hash == policy_hash)
        return await self.session.scalar(query.order_by(ReplayRun.id.desc()).limit(1))

    async def pending(self, kind: str) -> ReplayRun | None:
        """A queued or running run of `kind`, if any."""
        query = select(ReplayRun).where(
            ReplayRun.kind == kind, ReplayRun.status.in_(("queued", "running"))
        )
        return await self.session.scalar(query.order_by(ReplayRun.id.desc()).limit(1))

    async def set(self, run_id: int, **values: Any) -> None:
        await self.session.execute(update(ReplayRun).where(ReplayRun.id == run_id).values(**values))

    async def abort_abandoned(self, before: datetime, now: datetime) -> int:
        """Runs no process is running any more: queued but never started, or running with no
        heartbeat since `before`. They are aborted, so nobody waits on them; how many. Writes
        only when there is such a run (a startup must not queue behind another writer)."""
        abandoned = ((ReplayRun.status == "queued") & (ReplayRun.created_at < before)) | (
            (ReplayRun.status == "running") & (ReplayRun.heartbeat_at < before)
        )
        ids = (await self.session.scalars(select(ReplayRun.id).where(abandoned))).all()
        if not ids:
            return 0
        await self.session.execute(
            update(ReplayRun)
            .where(ReplayRun.id.in_(ids), abandoned)
            .values(status="aborted", finished_at=now, error="abandoned: its process stopped")
        )
        return len(ids)

    async def heartbeat(self, run_id: int, progress: float, now: datetime) -> None:
        await self.set(run_id, progress=progress, heartbeat_at=now)
