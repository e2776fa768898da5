"""Every job in the scheduler's order, each from its domain's `jobs.py`: thin adapters that call
the same service methods as the API, in their session."""

from __future__ import annotations

from app.alerts.jobs import ALERT_CHECK
from app.lab.jobs import EVIDENCE_REFRESH
from app.market.jobs import UNIVERSE_SYNC
from app.operations.jobs import RETENTION
from app.platform.runs.job import Job
from app.portfolio.jobs import AUTO_REBALANCE
from app.portfolio.jobs import SCORE_REFRESH as SCORE_REFRESH  # the scoring router starts it
from app.records.jobs import FORWARD_RECORD, TRACK_RECORD
from app.signals.jobs import SIGNAL_PROCESSING
from app.state import AppState


def all_jobs(*, auto_rebalance_enabled: bool) -> list[Job[AppState]]:
    jobs: list[Job[AppState]] = [
        UNIVERSE_SYNC,
        SCORE_REFRESH,
        ALERT_CHECK,
        SIGNAL_PROCESSING,
        EVIDENCE_REFRESH,
        RETENTION,
        TRACK_RECORD,
        FORWARD_RECORD,
    ]
    if auto_rebalance_enabled:
        jobs.append(AUTO_REBALANCE)
    return jobs
