"""Scheduler runs: exactly one per job and tick between replicas; failures and skips recorded,
their writes rolled back; on PostgreSQL and SQLite."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from app.alerts.log import AlertLog
from app.alerts.models import Alert
from app.alerts.settings import ALERT_CHECK_INTERVAL_S
from app.main import create_app
from app.platform.core.clock import utcnow
from app.platform.core.environment import Environment
from app.platform.db.models import JobRun
from app.platform.db.repositories.jobs import JobRepository
from app.platform.runs.job import Job, JobBody, JobSkipped
from app.platform.scheduler.loop import Scheduler
from app.state import AppState
from tests.conftest import start_app
from tests.databases import (
    drop_postgres_database,
    migrated_postgres_database,
    migrated_sqlite_url,
)

TICK = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


async def raise_alert(session: AsyncSession, state: AppState) -> dict[str, Any]:
    await asyncio.sleep(0.05)  # long enough for the other replica to arrive meanwhile
    await AlertLog(session).raise_or_touch(
        kind="stale_data", fingerprint="test:job", severity="info", message="ran"
    )
    return {"ok": True}


async def fail(session: AsyncSession, state: AppState) -> dict[str, Any]:
    await AlertLog(session).raise_or_touch(
        kind="stale_data", fingerprint="test:failed", severity="info", message="half done"
    )
    raise RuntimeError("boom")


async def skip(session: AsyncSession, state: AppState) -> dict[str, Any]:
    raise JobSkipped("inputs are stale")


@pytest.fixture(params=["postgres", "sqlite"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A committed database of each backend (the fixtures of committed.py, by parameter)."""
    if request.param == "sqlite":
        yield await migrated_sqlite_url(tmp_path)
        return
    url = await migrated_postgres_database("mysymbols_jobs")
    yield url
    await drop_postgres_database(url)


@pytest.fixture
def backend_of_database(database: str) -> str:
    return "sqlite" if database.startswith("sqlite") else "postgresql"


@pytest.fixture
async def replicas(
    database: str, make_environment: Callable[..., Environment]
) -> AsyncIterator[tuple[Scheduler, Scheduler, AppState]]:
    url = database
    apps = [create_app(make_environment(url)) for _ in range(2)]
    clients = [start_app(app) for app in apps]
    for c in clients:
        await c.__anext__()
    states = [app.state.app_state for app in apps]
    for state in states:  # so that rows a test inserts are not taken for a previous process's
        await asyncio.wait_for(state.runs.swept.wait(), 10)
    yield Scheduler(states[0], replica="a"), Scheduler(states[1], replica="b"), states[0]
    for c in clients:
        await c.aclose()


async def count(state: AppState, model: Any, **where: Any) -> int:
    async with state.sessionmaker() as session:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return int(await session.scalar(query) or 0)


class TestExactlyOnce:
    async def test_two_replicas_at_the_same_tick_run_the_job_once(
        self, replicas: tuple[Scheduler, Scheduler, AppState]
    ) -> None:
        a, b, state = replicas
        job = Job("test_job", ALERT_CHECK_INTERVAL_S, raise_alert)
        outcomes = await asyncio.gather(a.run_tick(job, TICK), b.run_tick(job, TICK))
        assert sorted(outcomes) == ["ran", "taken"]
        assert await count(state, JobRun, job="test_job") == 1
        assert await count(state, Alert, fingerprint="test:job") == 1
        async with state.sessionmaker() as session:
            alert = await session.scalar(select(Alert).where(Alert.fingerprint == "test:job"))
            run = await session.scalar(select(JobRun).where(JobRun.job == "test_job"))
        assert alert is not None and alert.occurrences == 1  # the effect happened once
        assert run is not None and (run.status, run.result) == ("succeeded", {"ok": True})
        assert await a.run_tick(job, TICK) == "taken"  # and never again for that tick

    async def test_a_failed_run_is_recorded_and_its_writes_undone(
        self, replicas: tuple[Scheduler, Scheduler, AppState]
    ) -> None:
        a, _, state = replicas
        assert await a.run_tick(Job("test_fail", ALERT_CHECK_INTERVAL_S, fail), TICK) == "failed"
        async with state.sessionmaker() as session:
            run = await session.scalar(select(JobRun).where(JobRun.job == "test_fail"))
        assert run is not None and run.status == "failed"
        # The exception's text goes to the log only: the ledger keeps the problem and the run id.
        assert run.error == f"Internal error (urn:mysymbols:problem:internal-error), run {run.id}"
        assert run.problem is not None and "boom" not in str(run.problem)
        assert await count(state, Alert, fingerprint="test:failed") == 0

    async def test_a_skipped_run_is_recorded(
        self, replicas: tuple[Scheduler, Scheduler, AppState]
    ) -> None:
        a, _, state = replicas
        assert await a.run_tick(Job("test_skip", ALERT_CHECK_INTERVAL_S, skip), TICK) == "skipped"
        async with state.sessionmaker() as session:
            run = await session.scalar(select(JobRun).where(JobRun.job == "test_skip"))
        assert run is not None and (run.status, run.error) == ("skipped", "inputs are stale")


def held_until_released() -> tuple[JobBody[AppState], asyncio.Event, asyncio.Event]:
    """A job body that says when it runs, then waits to be released: the other replica's tick
    arrives while it is certainly running, however slow the machine."""
    running, release = asyncio.Event(), asyncio.Event()

    async def held(session: AsyncSession, state: AppState) -> dict[str, Any]:
        running.set()
        await release.wait()
        return {"ok": True}

    return held, running, release


async def insert_running(state: AppState, job: str, heartbeat_ago: timedelta) -> int:
    """A run as a process that died mid-run leaves it: `running`, its heartbeat stopped."""
    at = utcnow() - heartbeat_ago
    async with state.sessionmaker() as session:
        run_id = await JobRepository(session).claim(job, "dead:1", at, requested_by="someone")
        await session.commit()
    assert run_id is not None
    return run_id


async def status_of(state: AppState, run_id: int) -> JobRun:
    async with state.sessionmaker() as session:
        run = await session.get(JobRun, run_id)
    assert run is not None
    return run


class TestOneRunningPerJob:
    async def test_a_tick_that_finds_its_job_running_is_recorded_skipped(
        self, replicas: tuple[Scheduler, Scheduler, AppState]
    ) -> None:
        a, b, state = replicas
        held, running, release = held_until_released()
        job = Job("test_slow", ALERT_CHECK_INTERVAL_S, held)
        later = TICK + timedelta(minutes=1)
        first = asyncio.create_task(a.run_tick(job, TICK))
        await asyncio.wait_for(running.wait(), 30)
        assert await b.run_tick(job, later) == "skipped"
        release.set()
        assert await first == "ran"
        async with state.sessionmaker() as session:
            runs = (await session.scalars(select(JobRun).order_by(JobRun.id))).all()
        assert [(r.scheduled_tick, r.status, r.replica) for r in runs] == [
            (TICK, "succeeded", "a"),
            (later, "skipped", "b"),
        ]
        assert runs[1].error == f"run {runs[0].id} of test_slow is still running"

    async def test_a_run_whose_heartbeat_stopped_is_aborted_by_the_next_claimant(
        self, replicas: tuple[Scheduler, Scheduler, AppState], backend_of_database: str
    ) -> None:
        a, _, state = replicas
        job = Job("test_job", ALERT_CHECK_INTERVAL_S, raise_alert)
        dead = await insert_running(state, "test_job", heartbeat_ago=timedelta(seconds=10))
        outcome = await a.run_tick(job, TICK)
        if backend_of_database == "sqlite":
            # One process: a row it did not start was swept at its start; a later one is live.
            assert outcome == "skipped"
            assert (await status_of(state, dead)).status == "running"
            return
        assert outcome == "ran"
        aborted = await status_of(state, dead)
        assert aborted.status == "aborted" and aborted.finished_at is not None
        assert aborted.problem is not None and aborted.problem["type"].endswith(":run-aborted")

    async def test_a_live_run_is_never_taken_for_abandoned(
        self, replicas: tuple[Scheduler, Scheduler, AppState]
    ) -> None:
        a, _, state = replicas
        job = Job("test_job", ALERT_CHECK_INTERVAL_S, raise_alert)
        live = await insert_running(state, "test_job", heartbeat_ago=timedelta(seconds=1))
        assert await a.run_tick(job, TICK) == "skipped"
        assert (await status_of(state, live)).status == "running"

    async def test_a_start_aborts_the_runs_a_stopped_process_left(
        self, database: str, make_environment: Callable[..., Environment]
    ) -> None:
        first = create_app(make_environment(database))
        async for _ in start_app(first):
            state = first.state.app_state
            left = await insert_running(state, "score_refresh", heartbeat_ago=timedelta(minutes=1))
            break
        second = create_app(make_environment(database))
        async for _ in start_app(second):
            for _ in range(100):
                run = await status_of(second.state.app_state, left)
                if run.status != "running":
                    break
                await asyncio.sleep(0.05)
            assert (
                run.status == "aborted"
                and run.error == "the process running it stopped; nothing of it was kept"
            )
            break


class TestBusyDatabase:
    async def test_a_body_that_reads_then_writes_beside_a_commit_runs_once(
        self, replicas: tuple[Scheduler, Scheduler, AppState]
    ) -> None:
        """Two jobs at one tick: one reads, the other commits, the first writes. Both databases
        let that write through at its first attempt: on SQLite it waits its turn on the one
        writer, which sees the other's commit (it was refused at once from the reader's older
        snapshot, "database is locked", and the run attempted again)."""
        a, _, state = replicas
        attempts = 0

        async def read_then_write(session: AsyncSession, state: AppState) -> dict[str, Any]:
            nonlocal attempts
            attempts += 1
            await session.scalar(select(func.count()).select_from(Alert))  # its snapshot
            async with state.sessionmaker() as other:  # another job commits meanwhile
                await AlertLog(other).raise_or_touch(
                    kind="stale_data",
                    fingerprint=f"test:other{attempts}",
                    severity="info",
                    message="x",
                )
                await other.commit()
            await AlertLog(session).raise_or_touch(
                kind="stale_data", fingerprint="test:job", severity="info", message="ran"
            )
            await session.flush()
            return {"attempts": attempts}

        job = Job("test_busy", ALERT_CHECK_INTERVAL_S, read_then_write)
        assert await a.run_tick(job, TICK) == "ran"
        run = await status_of(state, await only_run_of(state, "test_busy"))
        assert (run.status, run.result, run.attempts) == ("succeeded", {"attempts": 1}, 1)
        assert await count(state, Alert, fingerprint="test:job") == 1
        assert await count(state, Alert, fingerprint="test:other1") == 1

    async def test_a_body_that_meets_another_process_writing_is_run_again(
        self,
        replicas: tuple[Scheduler, Scheduler, AppState],
        database: str,
        backend_of_database: str,
    ) -> None:
        """SQLite: another process (a `migrate`, an `import-history`) holds the file's write
        lock past the busy timeout; the body's write gives up, "database is locked", and the
        run is attempted again in a new transaction, which succeeds."""
        if backend_of_database != "sqlite":
            pytest.skip("another process's write lock on the file: SQLite's")
        a, _, state = replicas
        attempts = 0

        async def blocked_once(session: AsyncSession, state: AppState) -> dict[str, Any]:
            nonlocal attempts
            attempts += 1
            holder = sqlite3.connect(str(make_url(database).database), isolation_level=None)
            try:
                if attempts == 1:
                    holder.execute("BEGIN IMMEDIATE")
                await AlertLog(session).raise_or_touch(
                    kind="stale_data", fingerprint="test:job", severity="info", message="ran"
                )
                await session.flush()
            finally:
                holder.close()  # its transaction rolled back
            return {"attempts": attempts}

        job = Job("test_busy", ALERT_CHECK_INTERVAL_S, blocked_once)
        assert await a.run_tick(job, TICK) == "ran"
        run = await status_of(state, await only_run_of(state, "test_busy"))
        assert (run.status, run.result, run.attempts) == ("succeeded", {"attempts": 2}, 2)
        assert await count(state, Alert, fingerprint="test:job") == 1


async def only_run_of(state: AppState, job: str) -> int:
    async with state.sessionmaker() as session:
        ids = (await session.scalars(select(JobRun.id).where(JobRun.job == job))).all()
    assert len(ids) == 1, ids
    return ids[0]


class TestHeapAfterRuns:
    async def test_each_run_ends_by_handing_the_freed_heap_back(
        self, replicas: tuple[Scheduler, Scheduler, AppState], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        a, _, state = replicas
        trims: list[str] = []

        async def counted() -> bool:
            trims.append("trim")
            return True

        monkeypatch.setattr("app.platform.scheduler.runs.release_free_heap", counted)
        assert state.jobs.trim_heap  # the default (scheduler.trim_heap_after_runs)
        assert await a.run_tick(Job("test_job", ALERT_CHECK_INTERVAL_S, raise_alert), TICK) == "ran"
        assert await a.run_tick(Job("test_fail", ALERT_CHECK_INTERVAL_S, fail), TICK) == "failed"
        assert trims == ["trim", "trim"]
        state.jobs.trim_heap = False
        assert await a.run_tick(Job("test_skip", ALERT_CHECK_INTERVAL_S, skip), TICK) == "skipped"
        assert trims == ["trim", "trim"]
