"""The API against the simulator: an app on the rolled-back test session, pointed at `sim`.

The API's tests run on PostgreSQL, the production database, once each. What differs between
the backends lies below the routes, in the repositories, services and runs, whose tests
(tests/integration) run on both; SQLite's API is walked route by route in
tests/api/test_every_route.py, and the embedded default deployed in tests/deployed/. Answers that
name the backend are checked on both in tests/integration (test_status_backends.py). Run on both,
these tests spent about an eighth of the suite's CPU on the same answers.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.core.environment import Environment
from scripts.generate_client import openapi_document
from tests.conftest import app_on_session, simulator_environment, start_app
from tests.kucoin_sim.app import KucoinSimulator

API_TESTS = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The tests here run with the root `database_url`'s PostgreSQL alone (see above); their
    SQLite runs are deselected (an override of that session fixture here would share its
    cache with the tests elsewhere that keep both)."""
    kept, on_sqlite = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        sqlite = callspec is not None and callspec.params.get("database_url") == "sqlite"
        (on_sqlite if sqlite and item.path.is_relative_to(API_TESTS) else kept).append(item)
    if on_sqlite:
        config.hook.pytest_deselected(items=on_sqlite)
        items[:] = kept


@pytest.fixture
def sim_app(
    sim: KucoinSimulator,
    database_url: str,
    make_environment: Callable[..., Environment],
    session: AsyncSession,
) -> FastAPI:
    """The app whose requests join the test's session and whose KuCoin is `sim` (by URL)."""
    return app_on_session(
        simulator_environment(make_environment, database_url, sim.base_url), session
    )


@pytest.fixture
async def api(sim_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client of `sim_app`, its lifespan running."""
    async for client in start_app(sim_app):
        yield client


@pytest.fixture(scope="module", name="openapi_document")
def served_document() -> dict[str, Any]:
    """The OpenAPI document on the wire, built once a module for the tests that only read it
    (a second of CPU a build; tests/api/platform/test_openapi.py checks `/openapi.json` serves
    it)."""
    return dict(json.loads(json.dumps(openapi_document())))
