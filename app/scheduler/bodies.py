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
from app.lab.jobs import EVIDENCE_REFRESH
from app.market.jobs import UNIVERSE_SYNC
from app.portfolio.jobs import AUTO_REBALANCE
from app.portfolio.jobs import SCORE_REFRESH as SCORE_REFRESH  # the scoring router starts it
from app.records.jobs import FORWARD_RECORD, TRACK_RECORD
from app.scheduler.job import Job
from app.services.factory import Services
from app.signals.jobs import SIGNAL_PROCESSING
from app.state import AppState

logger = logging.getLogger(__name__)


async def retention(session: AsyncSession, state: AppState) -> dict[str, Any]:
    """Thin and delete what is past its retention window (each batch committed on its own)."""
    return asdict(await Services(session, state).retention.apply(utcnow()))


def all_jobs(*, auto_rebalance_enabled: bool) -> list[Job[AppState]]:
    jobs: list[Job[AppState]] = [
        UNIVERSE_SYNC,
        SCORE_REFRESH,
        ALERT_CHECK,
        SIGNAL_PROCESSING,
        EVIDENCE_REFRESH,
        Job("retention", "retention_interval_s", retention),
        TRACK_RECORD,
        FORWARD_RECORD,
    ]
    if auto_rebalance_enabled:
        jobs.append(AUTO_REBALANCE)
    return jobs
