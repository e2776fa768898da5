"""Retention: what is past its window (`retention_*` runtime settings) is thinned or deleted in
bounded batches, each its own short transaction (committed here: a long transaction would hold
its locks, and keep PostgreSQL from reclaiming the space), so a stopped pass loses at most one
batch; the next pass goes on where it stopped.

- runs older than `retention_breakdown_days`: their inputs and per-component score rows (the
  metric breakdowns) go; the composite row stays, and its breakdown keeps every component's score;
- runs older than `retention_score_days`: the run and its composite scores go;
- event outbox rows and webhook deliveries older than `retention_event_days` go (deliveries first:
  they reference their events);
- finished job runs older than `retention_job_run_days` go, except each job's newest;
- idempotency keys past their own `expires_at` go (set when the key is first used, 24 hours on:
  `app/callers/idempotency.py`), each with the response body it stored;
- settled signals (decided or expired) created more than `retention_signal_days` ago go, with
  their votes and consensus (columns of theirs); one whose outcome is not measured yet stays
  until its longest horizon ended that long ago. The agents' weights then learn from the
  measured signals kept;
- ended replay runs older than `retention_replay_days` go with their reports (at most
  `REPLAY_RUNS_PER_BATCH` a transaction);
- resolved alerts older than `retention_alert_days` (and than `alert_cooldown_s`, within which a
  recurrence reopens the row) go.

Never touched: the newest runs current reads stand on (see `ScoringRepository.protected_runs`),
running runs, pending signals, open and acknowledged alerts, queued and running replay runs and
the evidence in force (each kind's newest succeeded replay run, each configuration's newest
succeeded calibration), candles and funding settlements, the audit trails (`portfolio_history`,
`scoring_config_change`, `configuration_change`) and the records (track record, forward record,
performance record).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.alerts.models import Alert
from app.callers.models import IdempotencyKey
from app.lab.models import ReplayRun
from app.operations.repository import RetentionRepository
from app.platform.db.models import JobRun, WebhookDelivery
from app.platform.runtime.progress import checkpoint
from app.platform.settings_store.declaration import RETENTION, between
from app.platform.settings_store.fields import declared_on, reads, setting
from app.platform.settings_store.reader import read_typed
from app.portfolio.policy.replacement_facts import confirmation_span_ms
from app.portfolio.policy.replacement_rule import ReplacementSettings
from app.portfolio.settings import ALERT_COOLDOWN_S
from app.scoring.models import ScoringRun, SymbolScore
from app.scoring.repository import ScoringRepository
from app.signals.models import Signal
from app.signals.voting.agent_weights import HORIZONS_H

logger = logging.getLogger(__name__)
RUNS_PER_QUERY = 100  # candidate runs fetched at a time
REPLAY_RUNS_PER_BATCH = 20  # a replay run's report can be megabytes: fewer rows a transaction
LONGEST_HORIZON = timedelta(hours=max(HORIZONS_H.values()))  # of a signal's outcome


@dataclass(frozen=True)
class RetentionSettings:
    """The runtime settings a retention pass reads: each window, the batch size, and the spans
    that keep rows still needed (a replacement's confirmation, an alert's cooldown)."""

    breakdown_days: int = field(
        metadata=setting(
            "retention_breakdown_days",
            30,
            "Days a run keeps its inputs and its per-component score rows with their metric "
            "breakdowns (the composite, with its component scores, stays).",
            RETENTION,
        )
    )
    score_days: int = field(
        metadata=setting(
            "retention_score_days",
            400,
            "Days a run and its composite scores are kept.",
            RETENTION,
        )
    )
    event_days: int = field(
        metadata=setting(
            "retention_event_days",
            14,
            "Days event outbox rows and webhook deliveries are kept.",
            RETENTION,
        )
    )
    job_run_days: int = field(
        metadata=setting(
            "retention_job_run_days",
            90,
            "Days finished job runs are kept (each job's last stays).",
            RETENTION,
        )
    )
    signal_days: int = field(
        metadata=setting(
            "retention_signal_days",
            90,
            "Days a decided or expired signal is kept (a pending one always; one whose outcome is "
            "not measured yet until its longest horizon, 24 h, ended this long ago). The agents' "
            "weights learn from the measured signals kept.",
            RETENTION,
        )
    )
    replay_days: int = field(
        metadata=setting(
            "retention_replay_days",
            90,
            "Days an ended replay, calibration or what-if run is kept with its report (each kind's "
            "newest succeeded run, and each configuration's newest succeeded calibration, stay).",
            RETENTION,
        )
    )
    alert_days: int = field(
        metadata=setting(
            "retention_alert_days",
            90,
            "Days a resolved alert is kept (open and acknowledged ones stay; and at least "
            "alert_cooldown_s, within which a recurrence reopens it).",
            RETENTION,
        )
    )
    batch_rows: int = field(
        metadata=setting(
            "retention_batch_rows",
            1000,
            "Most rows one retention transaction deletes or updates.",
            between(100, 10_000),
        )
    )
    confirmation_hours: float = field(
        metadata=reads(declared_on(ReplacementSettings, "confirmation_hours"))
    )
    alert_cooldown_s: int = field(metadata=reads(ALERT_COOLDOWN_S))


@dataclass
class RetentionReport:
    runs_thinned: int = 0
    component_scores_deleted: int = 0
    runs_deleted: int = 0
    composite_scores_deleted: int = 0
    events_deleted: int = 0
    webhook_deliveries_deleted: int = 0
    job_runs_deleted: int = 0
    idempotency_keys_deleted: int = 0
    signals_deleted: int = 0
    replay_runs_deleted: int = 0
    alerts_deleted: int = 0


async def _nothing() -> None:
    return None


class RetentionService:
    """Applies the retention windows, batch by batch."""

    def __init__(
        self, session: AsyncSession, after_batch: Callable[[], Awaitable[None]] = _nothing
    ) -> None:
        self.session = session
        self.rows = RetentionRepository(session)
        self.after_batch = after_batch
        """Called after each batch's commit (tests follow the batches with it)."""

    async def end_batch(self) -> None:
        await self.session.commit()
        await self.after_batch()

    async def apply(self, now: datetime) -> RetentionReport:
        """One retention pass over everything past its window at `now`."""
        values = await read_typed(self.session, RetentionSettings)
        self.batch = values.batch_rows
        span = confirmation_span_ms(values.confirmation_hours)
        protected = await ScoringRepository(self.session).protected_runs(
            timedelta(milliseconds=span)
        )
        await self.end_batch()  # no read transaction left open between batches

        def days_ago(days: int) -> datetime:
            return now - timedelta(days=days)

        report = RetentionReport()
        await self._thin_runs(days_ago(values.breakdown_days), protected, report)
        checkpoint(0.4)
        await self._delete_runs(days_ago(values.score_days), protected, report)
        checkpoint(0.5)
        await self._delete_events(days_ago(values.event_days), report)
        checkpoint(0.6)
        await self._delete_job_runs(days_ago(values.job_run_days), report)
        checkpoint(0.7)
        await self._delete_idempotency_keys(now, report)
        checkpoint(0.75)
        await self._delete_signals(days_ago(values.signal_days), report)
        checkpoint(0.85)
        await self._delete_replay_runs(days_ago(values.replay_days), report)
        checkpoint(0.9)
        cooldown = now - timedelta(seconds=values.alert_cooldown_s)
        await self._delete_alerts(min(days_ago(values.alert_days), cooldown), report)
        checkpoint(1.0)
        logger.info("retention: %s", report)
        return report

    async def _thin_runs(
        self, before: datetime, protected: set[int], report: RetentionReport
    ) -> None:
        while runs := await self.rows.runs_to_thin(before, protected, RUNS_PER_QUERY):
            for run_id in runs:
                report.component_scores_deleted += await self._delete_scores(
                    run_id, components_only=True
                )
                await self.rows.drop_inputs(run_id)
                await self.end_batch()
                report.runs_thinned += 1
                checkpoint(0.0)

    async def _delete_runs(
        self, before: datetime, protected: set[int], report: RetentionReport
    ) -> None:
        while runs := await self.rows.runs_to_delete(before, protected, RUNS_PER_QUERY):
            for run_id in runs:
                report.composite_scores_deleted += await self._delete_scores(
                    run_id, components_only=False
                )
                report.runs_deleted += await self.rows.delete(ScoringRun.id, [run_id])
                await self.end_batch()
                checkpoint(0.4)

    async def _delete_scores(self, run_id: int, *, components_only: bool) -> int:
        """A run's score rows, a batch per transaction but the last, which the caller ends."""
        deleted = 0
        while ids := await self.rows.score_row_ids(
            run_id, self.batch, components_only=components_only
        ):
            deleted += await self.rows.delete(SymbolScore.id, ids)
            if len(ids) < self.batch:
                break
            await self.end_batch()
        return deleted

    async def _delete_events(self, before: datetime, report: RetentionReport) -> None:
        async for ids in self._batches(lambda: self.rows.old_delivery_ids(before, self.batch)):
            report.webhook_deliveries_deleted += await self.rows.delete(WebhookDelivery.id, ids)
        async for ids in self._batches(lambda: self.rows.old_event_ids(before, self.batch)):
            events, deliveries = await self.rows.delete_events(ids)
            report.events_deleted += events
            report.webhook_deliveries_deleted += deliveries

    async def _delete_job_runs(self, before: datetime, report: RetentionReport) -> None:
        async for ids in self._batches(lambda: self.rows.old_job_run_ids(before, self.batch)):
            report.job_runs_deleted += await self.rows.delete(JobRun.id, ids)

    async def _delete_idempotency_keys(self, now: datetime, report: RetentionReport) -> None:
        async for ids in self._batches(
            lambda: self.rows.expired_idempotency_key_ids(now, self.batch)
        ):
            report.idempotency_keys_deleted += await self.rows.delete(IdempotencyKey.id, ids)

    async def _delete_signals(self, before: datetime, report: RetentionReport) -> None:
        unmeasured_before = before - LONGEST_HORIZON
        async for ids in self._batches(
            lambda: self.rows.old_signal_ids(before, unmeasured_before, self.batch)
        ):
            report.signals_deleted += await self.rows.delete(Signal.id, ids)

    async def _delete_replay_runs(self, before: datetime, report: RetentionReport) -> None:
        batch = min(self.batch, REPLAY_RUNS_PER_BATCH)
        async for ids in self._batches(lambda: self.rows.old_replay_run_ids(before, batch)):
            report.replay_runs_deleted += await self.rows.delete(ReplayRun.id, ids)

    async def _delete_alerts(self, before: datetime, report: RetentionReport) -> None:
        async for ids in self._batches(lambda: self.rows.old_alert_ids(before, self.batch)):
            report.alerts_deleted += await self.rows.delete(Alert.id, ids)

    async def _batches(
        self, find: Callable[[], Awaitable[Sequence[int]]]
    ) -> AsyncIterator[Sequence[int]]:
        """Each batch of ids `find` returns until none is left; the transaction of each ends
        after the caller has handled it."""
        while ids := await find():
            yield ids
            await self.end_batch()
            checkpoint(0.6)
