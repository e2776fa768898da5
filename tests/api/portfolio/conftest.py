"""The portfolio API on the rolled-back test session, against a simulator, after a first
scoring run."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.api.portfolio.helpers import BASE, TRADE
from tests.conftest import start_app
from tests.sim_fixtures import live_clock_ms


@pytest.fixture
def sim_config() -> dict[str, Any]:
    return {"universe": 16, "start_time_ms": live_clock_ms()}


@pytest.fixture
async def api(sim_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async for client in start_app(sim_app):
        response = await client.post(f"{BASE}/scoring/calculate?wait=60", headers=TRADE)
        assert response.status_code == 200, response.text
        yield client
