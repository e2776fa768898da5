"""Shared fixtures: both engines migrated once per run with Alembic; each test rolled back."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from app.main import create_app
from app.platform.core.environment import Environment
from app.platform.core.security import bootstrap_name, hash_key
from app.platform.db.engine import create_engine
from app.platform.db.migrations import upgrade_to_head
from app.platform.http.sessions import get_session, get_session_source
from tests.databases import (
    create_postgres_database,
    drop_postgres_database,
    drop_templates,
    given_postgres_url,
    needs_postgres,
    postgres_problem,
    sqlite_url,
    stop_unreachable,
)
from tests.kucoin_sim.app import KucoinSimulator
from tests.sim_fixtures import running_simulator

BACKENDS = ["postgresql", "sqlite"]

ADMIN_KEY = "test-admin-key-0123456789"
TRADE_KEY = "test-trade-key-0123456789"
READ_KEY = "test-read-key-01234567890"
BOOTSTRAP_KEYS = f"admin:{ADMIN_KEY},trade:{TRADE_KEY},read:{READ_KEY}"
ADMIN_NAME = bootstrap_name("admin", hash_key(ADMIN_KEY))  # the keys' principals
TRADE_NAME = bootstrap_name("trade", hash_key(TRADE_KEY))


def pytest_configure(config: pytest.Config) -> None:
    """A run of a folder that holds PostgreSQL's tests (the whole suite, a tier) checks the
    test server first, before collecting: one sentence and exit 4 when it does not answer,
    rather than an error per test once they run (xdist's workers inherit the verdict)."""
    if hasattr(config, "workerinput") or config.option.collectonly or config.option.help:
        return
    root = config.invocation_params.dir
    paths = [root / arg.split("::")[0] for arg in config.args]
    if needs_postgres(paths, config.rootpath) and (problem := asyncio.run(postgres_problem())):
        pytest.exit(problem, returncode=pytest.ExitCode.USAGE_ERROR)


@pytest.fixture(scope="session", autouse=True)
async def migrated_templates() -> AsyncIterator[None]:
    """The migrated databases copied by tests.databases' `migrated_*`, dropped at the end."""
    yield
    await drop_templates()


@pytest.fixture(scope="session")
async def postgres_url() -> AsyncIterator[str]:
    """CI's throw-away database if it named one (for the first worker), else one created (and
    dropped) for this run: each pytest-xdist worker rolls its tests back in a database of its
    own, so no two wait on each other's uncommitted rows."""
    if problem := await postgres_problem():
        stop_unreachable(problem)
    given = given_postgres_url() if os.environ.get("PYTEST_XDIST_WORKER", "gw0") == "gw0" else None
    url = given or await create_postgres_database()
    await asyncio.to_thread(upgrade_to_head, url)
    yield url
    if given is None:
        await drop_postgres_database(url)


@pytest.fixture(scope="session")
async def sqlite_file_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = sqlite_url(tmp_path_factory.mktemp("sqlite"))
    await asyncio.to_thread(upgrade_to_head, url)
    return url


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> str:
    """The migrated database of each backend; tests using it run once per backend."""
    return str(
        request.getfixturevalue(
            f"{'postgres' if request.param == 'postgresql' else 'sqlite_file'}_url"
        )
    )


@pytest.fixture(scope="session")
def make_environment() -> Callable[..., Environment]:
    def build(database_url: str, **overrides: object) -> Environment:
        values: dict[str, object] = {
            "database_url": database_url,
            "api_keys": BOOTSTRAP_KEYS,
            # Jobs requested back to back (the gap between requested runs is on in
            # tests/deployed/, and in tests/api/platform/test_jobs.py).
            "scheduler": {"enabled": False, "request_gap_s": 0},
            # Nothing listens there: one refused attempt per call, not five with backoff (each
            # symbol lookup would wait ~1.5 s for the converter's contract list otherwise).
            "kucoin": {"futures_url": "http://127.0.0.1:9", "max_attempts": 1},
            # The read caches are off in this rolled-back suite only. Its requests share one
            # transaction that is never committed: no commit drops a cached answer and nothing
            # notifies, so a cache here would serve answers older than the test's own writes.
            # The defaults (caches on, real commits, runs beside reads, the scheduler on) run
            # in the deployed suite, tests/deployed/; the caches' own rules in
            # tests/integration/ on committed databases.
            "portfolio": {"read_cache": False},
            "reads": {"cache_ttl_s": 0},
        }
        values.update(overrides)
        return Environment.model_validate(values)

    return build


@pytest.fixture(scope="session")
async def engine(
    database_url: str, make_environment: Callable[..., Environment]
) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(make_environment(database_url))
    yield engine
    await engine.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection inside an outer transaction that is rolled back after the test."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        try:
            yield connection
        finally:
            await transaction.rollback()


@asynccontextmanager
async def joined_session(connection: AsyncConnection) -> AsyncIterator[AsyncSession]:
    """A session on `connection` whose commits are savepoints of its transaction."""
    session = AsyncSession(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        await session.close()


@pytest.fixture
async def session(connection: AsyncConnection) -> AsyncIterator[AsyncSession]:
    async with joined_session(connection) as session:
        yield session


@pytest.fixture
def backend(engine: AsyncEngine) -> str:
    return engine.dialect.name


async def start_app(app: FastAPI) -> AsyncGenerator[httpx.AsyncClient, None]:
    """Run the app's lifespan and talk to it through httpx's ASGI transport, once its start-up
    sweep of abandoned runs is over (on the API suite's one session, it must not run beside a
    request)."""
    async with app.router.lifespan_context(app):
        await app.state.app_state.runs.swept.wait()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://mysymbols.test"
        ) as client:
            yield client


def app_on_session(environment: Environment, session: AsyncSession) -> FastAPI:
    """An app whose requests and background runs all join the test's rolled-back session.

    One connection runs one transaction at a time, so `turn` lets one background run (to its
    end), or one request's commit, use the session at a time: reading a run (its `Location`)
    waits here until it is over. That is this suite's constraint, not the service's, whose runs
    commit in transactions of their own beside the reads. No test may lean on it: one that needs
    a run finished waits through the API (`?wait=`, or `tests.helpers.run_ended` following the
    `Location`), as a client does; tests/deployed/ reads while a run runs."""
    turn = asyncio.Lock()

    @asynccontextmanager
    async def run_session() -> AsyncIterator[AsyncSession]:
        async with turn:
            try:
                yield session
            except BaseException:
                await session.rollback()
                raise

    app = create_app(environment, run_sessions=run_session)

    async def test_session() -> AsyncIterator[AsyncSession]:
        try:
            yield session
        except BaseException:  # as get_session: a failed request leaves nothing behind
            await session.rollback()
            raise
        async with turn:
            await session.commit()

    class TestSessionSource:
        @asynccontextmanager
        async def open(self) -> AsyncIterator[AsyncSession]:
            yield session

    async def test_session_source() -> TestSessionSource:
        return TestSessionSource()

    app.dependency_overrides[get_session] = test_session
    app.dependency_overrides[get_session_source] = test_session_source
    return app


def simulator_environment(
    make_environment: Callable[..., Environment],
    database_url: str,
    sim_url: str,
    max_attempts: int = 1,
) -> Environment:
    """An environment pointed at a loopback simulator (only ever by its URL), without the
    WebSocket."""
    return make_environment(
        database_url,
        kucoin={"futures_url": sim_url, "websocket_enabled": False, "max_attempts": max_attempts},
    )


@pytest.fixture
def app(
    database_url: str, make_environment: Callable[..., Environment], session: AsyncSession
) -> FastAPI:
    """The app on the migrated test database, its requests joined to the rolled-back session."""
    return app_on_session(make_environment(database_url), session)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async for client in start_app(app):
        yield client


@pytest.fixture
def sim_config() -> dict[str, Any]:
    """How `sim` is configured (`KucoinSimulator` keywords; the clock pinned unless given).

    A folder's conftest or a module overrides this fixture to set its simulator; one test sets
    its own with `tests.sim_fixtures.with_sim(...)`, which parametrises it."""
    return {}


@pytest.fixture
async def sim(sim_config: dict[str, Any]) -> AsyncIterator[KucoinSimulator]:
    """The loopback KuCoin simulator, on a free port for one test, configured by `sim_config`."""
    async with running_simulator(**sim_config) as simulator:
        yield simulator


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain HTTP session for clients a test builds (against `sim`, say)."""
    async with aiohttp.ClientSession() as session:
        yield session


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).parts[-2:-1] == ("bench",):
            item.add_marker(pytest.mark.bench)
