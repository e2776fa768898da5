"""The jobs of the domains still laid out by kind, and every job in the scheduler's order: thin
adapters that call the same service methods as the API, in their session (a domain in its folder
holds its jobs in its `jobs.py`)."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.alerts.jobs import ALERT_CHECK
from app.core.clock import utcnow
from app.core.errors import ConflictError
from app.db.repositories.records import LostRace
from app.market.jobs import UNIVERSE_SYNC
from app.portfolio.jobs import AUTO_REBALANCE
from app.portfolio.jobs import SCORE_REFRESH as SCORE_REFRESH  # the scoring router starts it
from app.scheduler.job import Job, JobSkipped, requester
from app.services.factory import Services
from app.services.replay.evidence import NotEnoughHistory
from app.signals.jobs import SIGNAL_PROCESSING
from app.state import AppState

logger = logging.getLogger(__name__)


async def evidence_refresh(session: AsyncSession, state: AppState) -> dict[str, Any]:
    """Queue a walk-forward calibration of the stored history (it runs in the background once
    this transaction commits)."""
    try:
        run = await Services(session, state).evidence.request_refresh(requested_by=requester())
    except (NotEnoughHistory, ConflictError) as exc:
        raise JobSkipped(exc.detail) from exc
    return {"calibration_run_id": run.id, "params": run.params}


async def track_record(session: AsyncSession, state: AppState) -> dict[str, Any]:
    """Mark the as-run record forward over the hours whose candles are stored (the real
    portfolio's decisions from the audit trail, whoever made them, after costs; the baselines
    and the policy's shadow book are the `forward_record` job's)."""
    try:
        updated = await Services(session, state).track_record.update()
    except LostRace as exc:  # another replica marked these hours: nothing of ours is kept
        raise JobSkipped(str(exc)) from exc
    return updated.to_json()


async def forward_record(session: AsyncSession, state: AppState) -> dict[str, Any]:
    """Mark the forward record (the shadow books of the policy, the challengers and the
    baselines) over the hours whose candles are stored; the forward rule once a day is judged."""
    try:
        return await Services(session, state).forward_record.update()
    except LostRace as exc:  # another replica marked these hours: nothing of ours is kept
        raise JobSkipped(str(exc)) from exc


async def retention(session: AsyncSession, state: AppState) -> dict[str, Any]:
    """Thin and delete what is past its retention window (each batch committed on its own)."""
    return asdict(await Services(session, state).retention.apply(utcnow()))


def all_jobs(*, auto_rebalance_enabled: bool) -> list[Job[AppState]]:
    jobs: list[Job[AppState]] = [
        UNIVERSE_SYNC,
        SCORE_REFRESH,
        ALERT_CHECK,
        SIGNAL_PROCESSING,
        Job("evidence_refresh", "evidence_refresh_interval_s", evidence_refresh),
        Job("retention", "retention_interval_s", retention),
        Job("track_record", "as_run_record_interval_s", track_record),
        Job("forward_record", "forward_record_interval_s", forward_record),
    ]
    if auto_rebalance_enabled:
        jobs.append(AUTO_REBALANCE)
    return jobs
