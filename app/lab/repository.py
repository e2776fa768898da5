"""Queries on `replay_run`; flushes, never commits."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Text, cast, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from app.lab.models import PENDING, ReplayRun
from app.platform.core.clock import utcnow
from app.platform.core.errors import RUN_ABANDONED
from app.platform.db.session_flags import mark_run_queued
from app.platform.db.transaction_locks import hold_until_end


class ReplayRepository:
    """The `replay_run` table: runs as asked, their progress and their reports."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def queue(
        self,
        kind: str,
        requested_by: str,
        params: dict[str, Any],
        data_from: datetime,
        data_to: datetime,
    ) -> ReplayRun:
        """Record a queued run of `kind` over [`data_from`, `data_to`]; it starts once this
        transaction commits. Its heartbeat starts now: the replica that queued it beats it
        while the run waits (the run engine)."""
        run = ReplayRun(
            kind=kind,
            status="queued",
            requested_by=requested_by,
            params=params,
            data_from=data_from,
            data_to=data_to,
            heartbeat_at=utcnow(),
        )
        self.session.add(run)
        await self.session.flush()
        mark_run_queued(self.session, run.id)
        return run

    async def get(self, run_id: int) -> ReplayRun | None:
        return await self.session.get(ReplayRun, run_id)

    async def get_as_stored(self, run_id: int) -> tuple[ReplayRun, str, str, str] | None:
        """The run without its configuration and report, those two as the JSON text the
        database keeps ("null" for none), never parsed here: a report is megabytes; and its
        report's `data.market_data`, taken out by the database ("null": none kept)."""
        documents = (ReplayRun.config, ReplayRun.report)
        market_data = cast(ReplayRun.report["data"]["market_data"], Text)
        query = (
            select(ReplayRun, *(cast(d, Text) for d in documents), market_data)
            .options(*(defer(d, raiseload=True) for d in documents))
            .where(ReplayRun.id == run_id)
        )
        row = (await self.session.execute(query)).one_or_none()
        if row is None:
            return None
        return row[0], row[1] or "null", row[2] or "null", row[3] or "null"

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

    async def lock_requester(self, requested_by: str) -> None:
        """Until this transaction ends, the only one queueing for `requested_by` (PostgreSQL: a
        transaction advisory lock; SQLite: the writer's turn)."""
        digest = hashlib.sha256(f"replay_run:{requested_by}".encode()).digest()
        key = int.from_bytes(digest[:8], "big", signed=True)
        await hold_until_end(self.session, key)

    async def count_pending(self, requested_by: str) -> int:
        """How many runs `requested_by` has queued or running, of any kind."""
        query = select(func.count()).where(
            ReplayRun.requested_by == requested_by, ReplayRun.status.in_(PENDING)
        )
        return int(await self.session.scalar(query) or 0)

    async def start(self, run_id: int, **values: Any) -> bool:
        """Mark a queued run running (with `values`); False when it is not queued any more
        (cancelled, or aborted by a sweep)."""
        return await self._move(run_id, ("queued",), status="running", **values)

    async def finish(self, run_id: int, **values: Any) -> bool:
        """End a queued or running run with `values` (its status among them); False when it
        has ended already (cancelled meanwhile: that stands)."""
        return await self._move(run_id, PENDING, **values)

    async def cancel(
        self, run_id: int, by: str, now: datetime, *, requested_by: str | None = None
    ) -> bool:
        """Cancel a queued or running run (only one `requested_by` queued, when given); False
        when there is no such run. One statement: checked and changed at once, so a concurrent
        finish cannot be overwritten."""
        return await self._move(
            run_id, PENDING, requested_by, status="cancelled", cancelled_by=by, finished_at=now
        )

    async def _move(
        self, run_id: int, only: Sequence[str], requested_by: str | None = None, **values: Any
    ) -> bool:
        """Update the run if its status is still one of `only`: checked in the statement, so a
        concurrent cancel or finish cannot be overwritten. Whether it was."""
        query = update(ReplayRun).where(ReplayRun.id == run_id, ReplayRun.status.in_(only))
        if requested_by is not None:
            query = query.where(ReplayRun.requested_by == requested_by)
        result = await self.session.execute(
            query.values(**values).execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def abort_stale(self, before: datetime, now: datetime) -> list[int]:
        """Runs no process is looking after any more: queued or running with no heartbeat since
        `before` (the replica that queued a run beats its heart while it waits, and while it
        runs), so a live peer's runs are left alone, however long they have waited. They are
        aborted, so nobody waits on them; their ids. Writes only when there is such a run (a
        startup must not queue behind another writer)."""
        beat = func.coalesce(ReplayRun.heartbeat_at, ReplayRun.created_at)
        abandoned = ReplayRun.status.in_(PENDING) & (beat < before)
        ids = list((await self.session.scalars(select(ReplayRun.id).where(abandoned))).all())
        if ids:
            await self.session.execute(
                update(ReplayRun)
                .where(ReplayRun.id.in_(ids), abandoned)
                .values(
                    status="aborted",
                    finished_at=now,
                    error="abandoned: its process stopped",
                    problem=RUN_ABANDONED,
                )
                .execution_options(synchronize_session=False)
            )
        return ids

    async def beat(self, run_id: int, status: str, now: datetime, progress: float) -> bool:
        """A live run's heartbeat and progress; False when it is not `status` any more:
        cancelled (or aborted as abandoned), and its runner should stop."""
        return await self._move(run_id, (status,), heartbeat_at=now, progress=progress)

    async def status_of(self, run_id: int) -> str | None:
        status: str | None = await self.session.scalar(
            select(ReplayRun.status).where(ReplayRun.id == run_id)
        )
        return status
