"""The API against the simulator: an app on the rolled-back test session, pointed at `sim`.

The API's tests run on PostgreSQL, the production database, once each. What differs between
the backends lies below the routes, in the repositories, services and runs, whose tests
(tests/integration) run on both; SQLite's API is walked route by route in
tests/api/test_every_route.py, and the embedded default deployed in tests/deployed/. A module
whose answers name the backend imports tests.conftest's `database_url` back, and runs on both.
Run on both, these tests spent about an eighth of the suite's CPU on the same answers.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import Settings
from tests.conftest import app_on_session, simulator_settings
from tests.kucoin_sim.app import KucoinSimulator


@pytest.fixture(scope="session", params=["postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """PostgreSQL's migrated database: the API's tests run once (see the module's docstring)."""
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def sim_app(
    sim: KucoinSimulator,
    database_url: str,
    make_settings: Callable[..., Settings],
    session: AsyncSession,
) -> FastAPI:
    """The app whose requests join the test's session and whose KuCoin is `sim` (by URL)."""
    return app_on_session(simulator_settings(make_settings, database_url, sim.base_url), session)
