"""What each domain brings to the service, assembled in one place: its routers (in the API
document's order), its jobs (in the scheduler's order, with the first start's steps and the reads
done ahead) and its gauges read from the database at scrape time. The platform offers the means
(`app.platform.scheduler.schedule`, `app.platform.http.scrape`) and names no domain."""

from __future__ import annotations

from fastapi import APIRouter

from app.alerts import router as alerts
from app.alerts.jobs import ALERT_CHECK
from app.callers import router as access
from app.configuration import router as config
from app.lab.jobs import EVIDENCE_REFRESH
from app.lab.routers import replays, scoring_algorithms, scoring_evidence
from app.market import router as symbols
from app.market.gauges import market_gauges
from app.market.jobs import UNIVERSE_SYNC
from app.operations.jobs import RETENTION
from app.operations.routers import health, status
from app.platform.core.environment_sections import SchedulerEnvironment
from app.platform.http.routers import events
from app.platform.http.scrape import DomainGauges
from app.platform.scheduler import router as jobs
from app.platform.scheduler.schedule import Schedule, Scheduled, WarmUp
from app.portfolio.gauges import portfolio_gauges
from app.portfolio.jobs import AUTO_REBALANCE
from app.portfolio.routers import allocation, analytics, members, pairlist
from app.records import router as records
from app.records.gauges import record_gauges
from app.records.jobs import FORWARD_RECORD, TRACK_RECORD, warm_forward
from app.scoring import router as scores
from app.scoring.jobs import SCORE_REFRESH
from app.signals import router as signals
from app.signals.jobs import SIGNAL_PROCESSING
from app.state import AppState

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    status.router,
    access.router,
    symbols.router,
    scores.router,
    scoring_algorithms.router,
    scoring_evidence.router,
    members.router,
    allocation.router,
    analytics.router,
    pairlist.router,
    events.router,
    alerts.router,
    signals.router,
    replays.router,
    records.router,
    jobs.router,
    config.router,
)


def _auto_rebalance(environment: SchedulerEnvironment) -> bool:
    return environment.auto_rebalance


SCHEDULE: Schedule[AppState] = Schedule(
    scheduled=(
        Scheduled(UNIVERSE_SYNC),
        Scheduled(SCORE_REFRESH),
        Scheduled(ALERT_CHECK),
        Scheduled(SIGNAL_PROCESSING),
        Scheduled(EVIDENCE_REFRESH),
        Scheduled(RETENTION),
        Scheduled(TRACK_RECORD),
        Scheduled(FORWARD_RECORD),
        Scheduled(AUTO_REBALANCE, switched_on=_auto_rebalance),
    ),
    first_start=(UNIVERSE_SYNC, SCORE_REFRESH),
    warm_ups=(WarmUp("job-forward-warm", "the forward record's window", warm_forward),),
)

# In the order `/metrics` shows them.
DATABASE_GAUGES: tuple[DomainGauges, ...] = (portfolio_gauges, market_gauges, record_gauges)
