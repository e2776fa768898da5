"""Liveness and readiness over HTTP."""

from __future__ import annotations

import httpx

from app import __version__
from app.db.migrations import head_revision


class TestHealth:
    async def test_answers_ok_with_version(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/symbol-mgmt/health")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ok"
        assert body["version"] == __version__


class TestStatus:
    async def test_reports_database_at_migration_head(
        self, client: httpx.AsyncClient, backend: str
    ) -> None:
        response = await client.get("/api/symbol-mgmt/status")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ready"
        database = body["database"]
        assert database["reachable"] is True
        assert database["backend"] == backend
        assert database["latency_ms"] >= 0
        assert database["migration_revision"] == head_revision()
        assert database["migrations_at_head"] is True

    async def test_names_the_configured_market_data_source(self, client: httpx.AsyncClient) -> None:
        body = (await client.get("/api/symbol-mgmt/status")).json()
        market = body["market_data"]
        assert market["source"] == "http://127.0.0.1:9"
        assert market["kind"] == "custom"
        assert market["last_update_at"] is None
        assert market["stale"] is True

    async def test_names_the_kucoin_budget_this_replica_keeps_to(
        self, client: httpx.AsyncClient, backend: str
    ) -> None:
        budget = (await client.get("/api/symbol-mgmt/status")).json()["kucoin_budget"]
        assert (budget["quota"], budget["window_s"]) == (2000, 30.0)
        if backend == "sqlite":  # one process: its limiter is the budget
            assert budget["mode"] == "local" and "SQLite" in budget["detail"]
        else:  # every replica spends from the database's window
            assert budget["mode"] == "shared" and "PostgreSQL" in budget["detail"]
        assert budget["local_quota"] == 2000 and budget["fallback_reason"] is None
        assert budget["last_scoring_run"] is None
