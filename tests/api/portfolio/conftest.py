"""An app on the rolled-back test session, pointed at a simulator, after a first scoring run."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from tests.api.portfolio.helpers import BASE, TRADE
from tests.conftest import app_on_session, simulator_settings, start_app
from tests.kucoin_sim.app import KucoinSimulator
from tests.sim_fixtures import running_simulator


@pytest.fixture
async def sim() -> AsyncIterator[KucoinSimulator]:
    async with running_simulator(universe=16, start_time_ms=int(time.time() * 1000)) as s:
        yield s


@pytest.fixture
def portfolio_app(
    sim: KucoinSimulator,
    database_url: str,
    make_settings: Callable[..., Settings],
    session: AsyncSession,
) -> FastAPI:
    return app_on_session(simulator_settings(make_settings, database_url, sim.base_url), session)


@pytest.fixture
async def api(portfolio_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async for client in start_app(portfolio_app):
        response = await client.post(f"{BASE}/scoring/calculate", headers=TRADE)
        assert response.status_code == 200, response.text
        yield client
