"""Liveness and readiness: what `/health` and `/status` report."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app import __version__
from app.kucoin.gateway import KucoinGateway
from app.market.repository.symbols import MarketDataReads
from app.market.settings import STALE_DATA_LIMIT_S
from app.operations.first_start import WithJobs, bootstrap_progress
from app.operations.schemas import (
    BootstrapCheck,
    DatabaseCheck,
    Health,
    JobCheck,
    KucoinBudgetCheck,
    MarketDataCheck,
    Status,
)
from app.platform.core.clock import utcnow
from app.platform.core.environment import Environment
from app.platform.core.errors import problem_summary
from app.platform.db.failures import is_database_unavailable
from app.platform.db.models import JobRun
from app.platform.db.repositories.jobs import JobRepository
from app.platform.db.repositories.system_state import SystemRepository
from app.platform.db.revisions import head_revision, position_of, serves
from app.platform.db.sqlite_writer import readers
from app.scoring.repository import ScoringRepository

logger = logging.getLogger(__name__)


class StatusContext(WithJobs, Protocol):
    """What `/health` and `/status` read besides the database."""

    @property
    def environment(self) -> Environment: ...

    @property
    def gateway(self) -> KucoinGateway: ...

    @property
    def engine(self) -> AsyncEngine: ...

    @property
    def sessionmaker(self) -> async_sessionmaker[AsyncSession]: ...

    @property
    def started_at(self) -> datetime: ...


class StatusService:
    """Liveness and readiness: database, migrations, market data age, KuCoin, jobs."""

    def __init__(self, state: StatusContext) -> None:
        self.state = state

    def health(self) -> Health:
        uptime = (utcnow() - self.state.started_at).total_seconds()
        return Health(status="ok", version=__version__, uptime_s=round(uptime, 3))

    async def readiness(self, *, detailed: bool) -> Status:
        """Ready when the database answers (within a deadline), its migrations are at this
        code's head or ahead of it (a newer release migrated it during a rollout, or this is a
        rollback: code N runs on schema N+1) and the first start has finished; `detailed` adds
        the checks, the jobs and the budget."""
        environment = self.state.environment
        backend = "sqlite" if environment.is_sqlite else "postgresql"
        head = head_revision()
        try:
            async with asyncio.timeout(environment.database.connect_timeout_s + 1):
                database, market = await self._probe_database(backend, head)
                reachable = database.reachable and _serves(database)
                bootstrap = (
                    await self._bootstrap() if reachable and environment.scheduler.enabled else None
                )
        except Exception as exc:
            if not isinstance(exc, TimeoutError) and not is_database_unavailable(exc):
                raise
            logger.warning("readiness: database unreachable (%s)", exc.__class__.__name__)
            database = _database_check(backend, head, None, error=exc.__class__.__name__)
            market = self._market()
            bootstrap = None
        usable = database.reachable and _serves(database)
        status = Status(
            status=("bootstrapping" if bootstrap else "ready") if usable else "degraded",
            ready=usable and bootstrap is None,
        )
        if not detailed:
            return status
        return status.model_copy(
            update={
                "version": __version__,
                "database": database,
                "market_data": market,
                "scheduler_enabled": environment.scheduler.enabled,
                "jobs": await self._jobs() if usable else [],
                "bootstrap": bootstrap,
                "kucoin_budget": self._budget(await self._last_run_spend() if usable else None),
            }
        )

    async def _last_run_spend(self) -> dict[str, Any] | None:
        async with self.state.sessionmaker() as session:
            run = await ScoringRepository(session).latest_run()
        if run is None or run.spend is None:
            return None
        return {"run_id": run.id, **run.spend.get("spent", {})}

    def _budget(self, last_run: dict[str, Any] | None) -> KucoinBudgetCheck:
        snap = self.state.gateway.budget()
        if snap.mode == "shared":
            detail = "every replica spends from one window kept in PostgreSQL"
        elif snap.mode == "fallback":
            detail = (
                f"the shared window is unreachable: this replica keeps to quota / "
                f"{self.state.environment.kucoin.replicas} replicas"
            )
        elif self.state.environment.is_sqlite:
            detail = "SQLite (one process): this replica's limiter is the whole budget"
        else:
            detail = "shared budget switched off: this replica's limiter is its budget"
        return KucoinBudgetCheck(
            mode=snap.mode,
            detail=detail,
            quota=snap.quota,
            window_s=snap.window_s,
            local_quota=snap.local_quota,
            used_here=snap.used_here,
            limiter_wait_s=snap.waited_s,
            fallback_reason=snap.fallback_reason,
            last_scoring_run=last_run,
        )

    async def _bootstrap(self) -> BootstrapCheck | None:
        async with self.state.sessionmaker() as session:
            return await bootstrap_progress(self.state, session)

    async def _jobs(self) -> list[JobCheck]:
        async with self.state.sessionmaker() as session:
            return [job_check(run) for run in await JobRepository(session).latest()]

    def _market(
        self, last_update: datetime | None = None, stale_limit_s: float = 0.0
    ) -> MarketDataCheck:
        """The market data's check: stale when never updated, or last more than
        `stale_limit_s` ago."""
        age = (utcnow() - last_update).total_seconds() if last_update else None
        breaker = self.state.gateway.breaker()
        return MarketDataCheck(
            source=self.state.environment.kucoin.futures_url,
            kind=self.state.gateway.client.source_kind,
            last_update_at=last_update,
            data_age_s=round(age, 3) if age is not None else None,
            stale=age is None or age > stale_limit_s,
            breaker_state=breaker.state.value,
            breaker_retry_in_s=round(breaker.retry_in_s, 3) if breaker.retry_in_s else None,
            breaker_times_opened=breaker.times_opened,
        )

    async def _probe_database(
        self, backend: str, head: str
    ) -> tuple[DatabaseCheck, MarketDataCheck]:
        async with readers(self.state.engine).connect() as connection:
            repository = SystemRepository(connection)
            started = time.perf_counter()
            await repository.ping()
            latency_ms = (time.perf_counter() - started) * 1000
            try:
                revision = await repository.migration_revision()
            except DBAPIError:  # reachable (the ping passed) but no alembic_version table
                database = _database_check(backend, head, latency_ms, error="not migrated")
                return database, self._market()
            last_update = await MarketDataReads(connection).latest_market_data_at()
            stale_limit = await repository.config_value(
                STALE_DATA_LIMIT_S.key, STALE_DATA_LIMIT_S.default
            )
        database = _database_check(backend, head, latency_ms, revision)
        return database, self._market(last_update, float(stale_limit))


def _database_check(
    backend: str,
    head: str,
    latency_ms: float | None,
    revision: str | None = None,
    error: str | None = None,
) -> DatabaseCheck:
    """The database's check: reachable when it answered (in `latency_ms`), its migrations at
    `revision` (None: not migrated) against this code's `head`."""
    return DatabaseCheck(
        reachable=latency_ms is not None,
        backend=backend,
        latency_ms=None if latency_ms is None else round(latency_ms, 3),
        migration_revision=revision,
        migration_head=head,
        migrations_at_head=revision == head,
        migrations=None if latency_ms is None else position_of(revision),
        error=error,
    )


def _serves(database: DatabaseCheck) -> bool:
    return database.migrations is not None and serves(database.migrations)


def job_check(run: JobRun) -> JobCheck:
    """A run as `/status` shows it: why it did not succeed by its problem's type and title and
    its id, never by the stored text (rows written before that rule may hold an exception's)."""
    problem = run.problem or {}
    error = None
    if run.status not in ("running", "succeeded", "skipped"):  # a skip is not an error
        error = problem_summary(problem, run.id) if problem else f"Run {run.status}, run {run.id}"
    return JobCheck(
        job=run.job,
        run_id=run.id,
        scheduled_tick=run.scheduled_tick,
        replica=run.replica,
        status=run.status,
        duration_ms=run.duration_ms,
        result=run.result,
        error=error,
        problem_type=problem.get("type"),
        skip_reason=run.skip_reason,
    )
