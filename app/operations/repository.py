"""The rows retention removes or thins, found and changed a bounded batch at a time (by primary
key), so each statement is short and holds its row locks briefly."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, exists, func, null, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement

from app.alerts.models import Alert
from app.callers.models import IdempotencyKey
from app.lab.models import PENDING, ReplayRun
from app.platform.db.models import EventOutbox, JobRun, WebhookDelivery
from app.scoring.models import ScoringRun, SymbolScore
from app.scoring.scorers.composite import COMPOSITE
from app.signals.models import SETTLED, Signal


class RetentionRepository:
    """Finds what is past a window, by primary key, and deletes or thins it in batches."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def runs_to_thin(
        self, before: datetime, protected: set[int], limit: int
    ) -> Sequence[int]:
        """Runs started before `before` that still hold inputs or per-component rows."""
        components = exists().where(
            SymbolScore.run_id == ScoringRun.id, SymbolScore.component != COMPOSITE
        )
        return await self._first_ids(
            ScoringRun.id,
            limit,
            *self._ended_runs(before, protected),
            ScoringRun.inputs.is_not(None) | components,
        )

    async def runs_to_delete(
        self, before: datetime, protected: set[int], limit: int
    ) -> Sequence[int]:
        return await self._first_ids(ScoringRun.id, limit, *self._ended_runs(before, protected))

    @staticmethod
    def _ended_runs(before: datetime, protected: set[int]) -> list[ColumnElement[bool]]:
        """Scoring runs started before `before`, not running, and not protected."""
        return [
            ScoringRun.started_at < before,
            ScoringRun.status != "running",
            ScoringRun.id.not_in(protected),
        ]

    async def score_row_ids(
        self, run_id: int, limit: int, *, components_only: bool
    ) -> Sequence[int]:
        query = select(SymbolScore.id).where(SymbolScore.run_id == run_id)
        if components_only:
            query = query.where(SymbolScore.component != COMPOSITE)
        return (await self.session.scalars(query.order_by(SymbolScore.id).limit(limit))).all()

    async def drop_inputs(self, run_id: int) -> None:
        await self.session.execute(
            update(ScoringRun).where(ScoringRun.id == run_id).values(inputs=null())
        )

    async def old_event_ids(self, before: datetime, limit: int) -> Sequence[int]:
        return await self._first_ids(EventOutbox.id, limit, EventOutbox.created_at < before)

    async def delete_events(self, ids: Sequence[int]) -> tuple[int, int]:
        """The events and, first, their deliveries (which reference them): how many of each."""
        deliveries = await self.delete(WebhookDelivery.event_id, ids)
        return await self.delete(EventOutbox.id, ids), deliveries

    async def old_delivery_ids(self, before: datetime, limit: int) -> Sequence[int]:
        return await self._first_ids(WebhookDelivery.id, limit, WebhookDelivery.created_at < before)

    async def old_job_run_ids(self, before: datetime, limit: int) -> Sequence[int]:
        """Finished runs that ended before `before`, but never a job's newest run (`/status`
        shows each job's last outcome)."""
        newest = select(func.max(JobRun.id)).group_by(JobRun.job)
        return await self._first_ids(
            JobRun.id,
            limit,
            JobRun.status != "running",
            func.coalesce(JobRun.finished_at, JobRun.started_at) < before,
            JobRun.id.not_in(newest),
        )

    async def expired_idempotency_key_ids(self, now: datetime, limit: int) -> Sequence[int]:
        """Keys at or past their `expires_at`: no longer replayed (a retry with one runs afresh,
        see `IdempotencyGuard`), and each holds a whole response body."""
        return await self._first_ids(IdempotencyKey.id, limit, IdempotencyKey.expires_at <= now)

    async def old_signal_ids(
        self, before: datetime, unmeasured_before: datetime, limit: int
    ) -> Sequence[int]:
        """Settled signals created before `before`; one whose forward return is not measured
        yet only once it was evaluated before `unmeasured_before` (until its horizon ends,
        outcome measurement still reads it)."""
        measured_or_given_up = (
            Signal.forward_return.is_not(None)
            | Signal.evaluated_at.is_(None)
            | (Signal.evaluated_at < unmeasured_before)
        )
        return await self._first_ids(
            Signal.id,
            limit,
            Signal.status.in_(SETTLED),
            Signal.created_at < before,
            measured_or_given_up,
        )

    async def old_replay_run_ids(self, before: datetime, limit: int) -> Sequence[int]:
        """Ended replay runs that ended before `before`, but never the newest succeeded run of
        a kind, nor the newest succeeded calibration of a configuration
        (`ScoringCalibrationService.latest` reads the one of the configuration in force, and names
        the newest of any)."""
        succeeded = ReplayRun.status == "succeeded"
        newest_of_kind = select(func.max(ReplayRun.id)).where(succeeded).group_by(ReplayRun.kind)
        newest_calibrations = (
            select(func.max(ReplayRun.id))
            .where(succeeded, ReplayRun.kind == "calibration")
            .group_by(ReplayRun.policy_hash)
        )
        return await self._first_ids(
            ReplayRun.id,
            limit,
            ReplayRun.status.not_in(PENDING),
            # Implied by the next (a run ends after it is created): lets the index narrow.
            ReplayRun.created_at < before,
            func.coalesce(ReplayRun.finished_at, ReplayRun.created_at) < before,
            ReplayRun.id.not_in(newest_of_kind),
            ReplayRun.id.not_in(newest_calibrations),
        )

    async def old_alert_ids(self, before: datetime, limit: int) -> Sequence[int]:
        """Alerts resolved before `before` (an open or acknowledged one is never old)."""
        return await self._first_ids(
            Alert.id, limit, Alert.status == "resolved", Alert.resolved_at < before
        )

    async def _first_ids(
        self, column: InstrumentedAttribute[int], limit: int, *conditions: ColumnElement[bool]
    ) -> Sequence[int]:
        """The lowest `limit` ids in `column` of the rows meeting every condition."""
        query = select(column).where(*conditions).order_by(column).limit(limit)
        return (await self.session.scalars(query)).all()

    async def delete(self, column: InstrumentedAttribute[int], ids: Sequence[int]) -> int:
        """The rows of `column`'s table whose `column` holds one of `ids`: how many. (A signal's
        votes and consensus, a replay run's report, are columns of theirs: no row references
        one.)"""
        if not ids:
            return 0
        result = await self.session.execute(
            delete(column.class_).where(column.in_(ids)),
            execution_options={"synchronize_session": False},
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
