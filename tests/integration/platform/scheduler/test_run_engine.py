"""The run engine on committed databases, both backends: a run whose row is ended elsewhere is
told to stop at its next heartbeat, a run of another replica is waited for through its row, and
the start-up sweep covers both ledgers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from app.lab.models import ReplayRun
from app.lab.repository import ReplayRepository
from app.platform.core.environment import Environment
from app.platform.db.engine import create_engine, create_sessionmaker
from app.platform.db.models import JobRun
from app.platform.db.repositories.jobs import JobRepository
from app.platform.runs.run_engine import HEARTBEAT_S, LiveRun, RunEngine
from app.platform.runtime.progress import RunAborted, checkpoint, tracking

GUARD_S = 10 * HEARTBEAT_S


@pytest.fixture(params=["postgres", "sqlite"])
def url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"committed_{request.param}"))


@pytest.fixture
async def database(url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(Environment.model_validate({"database_url": url, "api_keys": []}))
    yield engine
    await engine.dispose()


def run_engine(database: AsyncEngine) -> RunEngine:
    return RunEngine(
        create_sessionmaker(database),
        (JobRepository, ReplayRepository),
        single_process=database.dialect.name == "sqlite",
    )


async def replay_row(database: AsyncEngine, **values: object) -> int:
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    run = ReplayRun(
        requested_by="test",
        params={},
        data_from=end - timedelta(days=1),
        data_to=end,
        heartbeat_at=datetime.now(UTC),
        **values,
    )
    async with create_sessionmaker(database)() as session:
        session.add(run)
        await session.commit()
    return run.id


async def set_status(database: AsyncEngine, run_id: int, status: str) -> None:
    async with create_sessionmaker(database)() as session:
        await session.execute(update(ReplayRun).where(ReplayRun.id == run_id).values(status=status))
        await session.commit()


async def test_a_run_whose_row_is_ended_elsewhere_is_told_to_stop(database: AsyncEngine) -> None:
    engine = run_engine(database)
    engine.start()
    await engine.swept.wait()  # on SQLite it aborts whatever is pending: its process is gone
    run_id = await replay_row(database, status="running")
    steps = 0

    async def work(live: LiveRun) -> None:
        nonlocal steps
        with tracking(live.tracker):
            for steps in range(1, 1000):
                await asyncio.sleep(0.05)  # a step of its work
                checkpoint(steps / 1000)  # a safe point: RunAborted once told to stop

    try:
        task = engine.launch(ReplayRepository, run_id, "replay", work)
        await asyncio.sleep(2 * HEARTBEAT_S)
        assert not task.done()  # beats while its row stays running
        live = engine.live(ReplayRepository, run_id)
        assert live is not None and not live.lost
        await set_status(database, run_id, "cancelled")  # DELETE /replays/{id}, say
        async with asyncio.timeout(GUARD_S):
            with pytest.raises(RunAborted):
                await task
        assert live.lost and steps < 999
        assert engine.live(ReplayRepository, run_id) is None
    finally:
        await engine.stop()


async def test_a_run_of_another_replica_is_waited_for_through_its_row(
    database: AsyncEngine,
) -> None:
    run_id = await replay_row(database, status="running")
    engine = run_engine(database)
    waiting = asyncio.create_task(engine.wait(ReplayRepository, run_id, GUARD_S))
    await asyncio.sleep(1.0)
    assert not waiting.done()
    started = asyncio.get_running_loop().time()
    await set_status(database, run_id, "succeeded")
    await waiting
    assert asyncio.get_running_loop().time() - started < GUARD_S / 2


async def test_the_start_up_sweep_aborts_the_abandoned_runs_of_both_ledgers(
    database: AsyncEngine,
) -> None:
    long_ago = datetime.now(UTC) - timedelta(minutes=5)
    replay_id = await replay_row(database, status="queued", created_at=long_ago)
    async with create_sessionmaker(database)() as session:
        job_id = await JobRepository(session).claim("test_job", "dead:1", long_ago)
        await session.execute(update(ReplayRun).values(heartbeat_at=long_ago))
        await session.commit()
    engine = run_engine(database)
    engine.start()
    try:
        async with asyncio.timeout(GUARD_S):
            await engine.swept.wait()
    finally:
        await engine.stop()
    async with create_sessionmaker(database)() as session:
        job = await session.get(JobRun, job_id)
        replay = await session.get(ReplayRun, replay_id)
    assert job is not None and replay is not None
    assert (job.status, replay.status) == ("aborted", "aborted")
    assert job.problem is not None and replay.problem is not None
    assert job.problem == replay.problem  # one rule, one problem
    assert job.problem["type"] == "urn:mysymbols:problem:run-aborted"


async def test_a_read_shows_the_live_progress_and_writes_nothing_back(
    database: AsyncEngine,
) -> None:
    """A reader's session gets the running run's live progress, without the row changed in it:
    the request that reads a run must not write (on SQLite such a write was refused once the
    runner had committed since its read: a 503 on a GET)."""
    engine = run_engine(database)
    run_id = await replay_row(database, status="running", progress=0.0)
    halfway, finish = asyncio.Event(), asyncio.Event()

    async def work(live: LiveRun) -> None:
        with tracking(live.tracker):
            checkpoint(0.5)
            halfway.set()
            await finish.wait()

    task = engine.launch(ReplayRepository, run_id, "replay", work)
    await halfway.wait()
    try:
        async with create_sessionmaker(database)() as session:
            run = await session.get(ReplayRun, run_id)
            assert run is not None
            shown = engine.with_live_progress(ReplayRepository, run)
            assert shown.progress == 0.5
            assert not session.is_modified(run) and not session.dirty
    finally:
        finish.set()
        await task
        await engine.stop()
