"""What /status says of the database it serves from and of KuCoin's budget, which differ by
backend: on both (the API's own tests run on PostgreSQL alone, see tests/api/conftest.py)."""

from __future__ import annotations

import httpx

from app.platform.db.revisions import head_revision
from tests.conftest import READ_KEY

API = "/api/symbol-mgmt"
READER = {"X-API-Key": READ_KEY}


class TestStatusNamesItsBackend:
    async def test_reports_database_at_migration_head(
        self, client: httpx.AsyncClient, backend: str
    ) -> None:
        response = await client.get("/api/symbol-mgmt/status", headers=READER)
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ready"
        database = body["database"]
        assert database["reachable"] is True
        assert database["backend"] == backend
        assert database["latency_ms"] >= 0
        assert database["migration_revision"] == head_revision()
        assert database["migrations_at_head"] is True

    async def test_names_the_kucoin_budget_this_replica_keeps_to(
        self, client: httpx.AsyncClient, backend: str
    ) -> None:
        budget = (await client.get(f"{API}/status", headers=READER)).json()["kucoin_budget"]
        assert (budget["quota"], budget["window_s"]) == (2000, 30.0)
        if backend == "sqlite":  # one process: its limiter is the budget
            assert budget["mode"] == "local" and "SQLite" in budget["detail"]
        else:  # every replica spends from the database's window
            assert budget["mode"] == "shared" and "PostgreSQL" in budget["detail"]
        assert budget["local_quota"] == 2000 and budget["fallback_reason"] is None
        assert budget["last_scoring_run"] is None
