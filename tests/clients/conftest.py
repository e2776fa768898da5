"""The generated clients under test: clients/python importable as `mysymbols_client` without
installing it (CI's fresh venv has only the locks), driving the service with the simulator as
KuCoin, on the test's rolled-back session or on a database of its own whose requests commit."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.main import create_app
from app.platform.core.environment import Environment
from tests.conftest import TRADE_KEY, app_on_session, simulator_environment, start_app
from tests.integration.committed import committed_postgres  # noqa: F401
from tests.kucoin_sim.app import KucoinSimulator
from tests.sim_fixtures import live_clock_ms

PYTHON_CLIENT = Path(__file__).resolve().parents[2] / "clients" / "python"
if str(PYTHON_CLIENT) not in sys.path:
    sys.path.insert(0, str(PYTHON_CLIENT))

if TYPE_CHECKING:
    from mysymbols_client import AuthenticatedClient


@pytest.fixture
def sim_config() -> dict[str, Any]:
    return {"universe": 16, "start_time_ms": live_clock_ms()}


@asynccontextmanager
async def generated_client(app: FastAPI) -> AsyncIterator[AuthenticatedClient]:
    """The generated client with a trade key, its HTTP through `app` (ASGI), inside the app's
    lifespan (gateway, job runner, caches)."""
    from mysymbols_client import AuthenticatedClient

    async for _ in start_app(app):
        client = AuthenticatedClient(
            base_url="http://mysymbols.test",
            token=TRADE_KEY,
            raise_on_unexpected_status=True,
            httpx_args={"transport": httpx.ASGITransport(app=app)},
        )
        async with client:
            yield client


@pytest.fixture
async def trader(
    sim: KucoinSimulator,
    database_url: str,
    make_environment: Callable[..., Environment],
    session: AsyncSession,
) -> AsyncIterator[AuthenticatedClient]:
    """The client against the app on the test's rolled-back session."""
    app = app_on_session(
        simulator_environment(make_environment, database_url, sim.base_url), session
    )
    async with generated_client(app) as client:
        yield client


@pytest.fixture
async def committed_trader(
    sim: KucoinSimulator,
    committed_postgres: str,  # noqa: F811
    make_environment: Callable[..., Environment],
) -> AsyncIterator[AuthenticatedClient]:
    """The client against the app on a PostgreSQL database of its own: what needs a second
    connection to see a commit (an `Idempotency-Key`'s claim) works as deployed."""
    environment = simulator_environment(make_environment, committed_postgres, sim.base_url)
    async with generated_client(create_app(environment)) as client:
        yield client
