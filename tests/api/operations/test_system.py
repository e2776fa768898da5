"""Liveness and readiness over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app import __version__
from app.main import create_app
from app.platform.core.environment import Environment
from tests.conftest import READ_KEY, TRADE_KEY, start_app

API = "/api/symbol-mgmt"


class TestHealth:
    async def test_answers_ok_with_version(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/symbol-mgmt/health")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ok"
        assert body["version"] == __version__


READER = {"X-API-Key": READ_KEY}
NOWHERE = "postgresql+asyncpg://postgres@127.0.0.1:9/nowhere"  # nothing listens there


class TestStatus:
    async def test_anyone_sees_only_status_and_ready(self, client: httpx.AsyncClient) -> None:
        response = await client.get(f"{API}/status")
        assert response.status_code == 200
        assert response.json() == {"status": "ready", "ready": True}

    async def test_a_read_key_sees_the_checks(self, client: httpx.AsyncClient) -> None:
        response = await client.get(f"{API}/status", headers=READER)
        assert response.status_code == 200
        body = response.json()
        assert body["ready"] is True and body["version"] == __version__
        assert {"database", "market_data", "jobs", "kucoin_budget", "bootstrap"} <= set(body)

    async def test_an_unknown_key_is_401(self, client: httpx.AsyncClient) -> None:
        response = await client.get(f"{API}/status", headers={"X-API-Key": "not-a-key-at-all"})
        assert response.status_code == 401

    async def test_names_the_configured_market_data_source(self, client: httpx.AsyncClient) -> None:
        body = (await client.get("/api/symbol-mgmt/status", headers=READER)).json()
        market = body["market_data"]
        assert market["source"] == "http://127.0.0.1:9"
        assert market["kind"] == "custom"
        assert market["last_update_at"] is None
        assert market["stale"] is True


class TestStatusWithTheDatabaseDown:
    @pytest.fixture
    async def down_client(
        self, make_environment: Callable[..., Environment]
    ) -> AsyncIterator[httpx.AsyncClient]:
        environment = make_environment(NOWHERE, database={"connect_timeout_s": 0.5})
        async for client in start_app(create_app(environment)):
            yield client

    async def test_anyone_gets_503_not_ready(self, down_client: httpx.AsyncClient) -> None:
        response = await down_client.get(f"{API}/status")
        assert response.status_code == 503
        assert response.json() == {"status": "degraded", "ready": False}
        assert response.headers["retry-after"] == "5"

    async def test_a_read_key_gets_503_with_the_database_unreachable(
        self, down_client: httpx.AsyncClient
    ) -> None:
        response = await down_client.get(f"{API}/status", headers=READER)
        assert response.status_code == 503
        body = response.json()
        assert body["ready"] is False and body["status"] == "degraded"
        assert body["database"]["reachable"] is False
        assert body["database"]["error"] == "DatabaseUnavailable"


class TestMarketDataSource:
    """`/status` and the `X-Market-Data-Source` header of every answer name the source."""

    @pytest.fixture
    def sim_config(self) -> dict[str, Any]:
        return {"universe": 6}

    @pytest.fixture
    async def sim_client(self, sim_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
        async for client in start_app(sim_app):
            yield client

    async def test_every_answer_names_a_source_by_its_url_before_it_has_spoken(
        self, client: httpx.AsyncClient
    ) -> None:
        answers = [
            await client.get(f"{API}/health"),
            await client.get(f"{API}/status"),
            await client.get(f"{API}/portfolio"),  # 401 problem: no key
            await client.get(f"{API}/no-such-route"),
        ]
        assert [a.status_code for a in answers] == [200, 200, 401, 404]
        assert {a.headers["X-Market-Data-Source"] for a in answers} == {"custom"}

    async def test_the_simulator_is_named_once_it_has_answered(
        self, sim_client: httpx.AsyncClient
    ) -> None:
        before = await sim_client.get(f"{API}/status", headers=READER)
        assert before.json()["market_data"]["kind"] == "custom"
        synced = await sim_client.post(
            f"{API}/symbols/sync?wait=60", headers={"X-API-Key": TRADE_KEY}
        )
        assert synced.status_code == 200, synced.text
        assert synced.headers["X-Market-Data-Source"] == "simulator"
        status = await sim_client.get(f"{API}/status", headers=READER)
        assert status.json()["market_data"]["kind"] == "simulator"
        assert status.headers["X-Market-Data-Source"] == "simulator"
        symbols = await sim_client.get(f"{API}/symbols", headers={"X-API-Key": READ_KEY})
        assert symbols.status_code == 200 and symbols.json()["total"] == 6
        assert symbols.headers["X-Market-Data-Source"] == "simulator"
