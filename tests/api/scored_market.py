"""API tests on a rolled-back test session, against a simulator, after a first scoring run: the
fixtures of the modules that need a scored market (the portfolio's, the alerts', the signals' and
the as-run record's), which take them by name from here (`conftest.py`, or the module itself).

The scoring run is the module's, not each test's (it was most of each test's time): it runs
once per module and database on a connection whose outer transaction the module rolls back,
and each test runs inside a savepoint of it that the test rolls back. Each test still has a
simulator of its own to change (delist, faults), started now but showing the market the module
scored: the same series, anchored at the same hour.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.platform.core.environment import Environment
from tests.api.portfolio_calls import BASE, TRADE
from tests.conftest import app_on_session, joined_session, simulator_environment, start_app
from tests.kucoin_sim.clock import HOUR_MS
from tests.sim_fixtures import live_clock_ms, running_simulator

UNIVERSE = 16


@dataclass(frozen=True)
class Scored:
    """The module's connection, its first scoring run done, and the hour its market is at."""

    connection: AsyncConnection
    anchor_hour_ms: int


@pytest.fixture(scope="module")
async def scored(
    engine: AsyncEngine, database_url: str, make_environment: Callable[..., Environment]
) -> AsyncIterator[Scored]:
    async with engine.connect() as connection:
        transaction = await connection.begin()
        try:
            start_ms = live_clock_ms()
            anchor_hour_ms = start_ms // HOUR_MS * HOUR_MS
            market = {"universe": UNIVERSE, "anchor_hour_ms": anchor_hour_ms}
            async with (
                joined_session(connection) as session,
                running_simulator(**market, start_time_ms=start_ms) as sim,
            ):
                environment = simulator_environment(make_environment, database_url, sim.base_url)
                async for client in start_app(app_on_session(environment, session)):
                    response = await client.post(f"{BASE}/scoring/calculate?wait=60", headers=TRADE)
                    assert response.status_code == 200, response.text
            yield Scored(connection, anchor_hour_ms)
        finally:
            await transaction.rollback()


@pytest.fixture
async def connection(scored: Scored) -> AsyncIterator[AsyncConnection]:
    """The module's scored connection, inside a savepoint rolled back after the test."""
    savepoint = await scored.connection.begin_nested()
    try:
        yield scored.connection
    finally:
        await savepoint.rollback()


@pytest.fixture
def sim_config(scored: Scored) -> dict[str, Any]:
    return {
        "universe": UNIVERSE,
        "start_time_ms": live_clock_ms(),
        "anchor_hour_ms": scored.anchor_hour_ms,
    }
