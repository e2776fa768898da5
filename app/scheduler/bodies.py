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
from app.records.jobs import FORWARD_RECORD, TRACK_RECORD
from app.scheduler.job import Degraded, Job, JobSkipped, actor
from app.services.factory import Services
from app.services.portfolio.rebalance import MarketDataStale
from app.signals.jobs import SIGNAL_PROCESSING
from app.state import AppState

logger = logging.getLogger(__name__)


async def score_refresh(session: AsyncSession, state: AppState) -> dict[str, Any] | Degraded:
    """The score refresh (`app.services.scoring.refresh`); degraded when KuCoin kept it from
    scoring anything."""
    refreshed = await Services(session, state).score_refresh.refresh(actor=actor())
    if refreshed.unreachable is not None:  # the stored scores stand; nothing to propose from
        return Degraded(refreshed.result(), refreshed.unreachable)
    return refreshed.result()


async def auto_rebalance(session: AsyncSession, state: AppState) -> dict[str, Any]:
    """Rebalance the portfolio to its target weights (skipped while its inputs are stale)."""
    try:
        result = await Services(session, state).portfolio.rebalance_portfolio(
            dry_run=False, account_balance=None, positions=None, force=False, actor=actor()
        )
    except MarketDataStale as exc:
        raise JobSkipped(exc.detail) from exc  # frozen while inputs are stale
    return {"changes_applied": result.changes_applied, "history_id": result.history_id}


async def retention(session: AsyncSession, state: AppState) -> dict[str, Any]:
    """Thin and delete what is past its retention window (each batch committed on its own)."""
    return asdict(await Services(session, state).retention.apply(utcnow()))


SCORE_REFRESH = Job("score_refresh", "score_refresh_interval_s", score_refresh)


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
        jobs.append(Job("auto_rebalance", "rebalance_interval_s", auto_rebalance))
    return jobs
