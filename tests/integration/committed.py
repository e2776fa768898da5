"""Apps on databases of their own whose requests commit (replicas, load, cache coherence)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest

from app.main import create_app
from app.platform.core.environment import Environment
from tests.conftest import TRADE_KEY, start_app
from tests.databases import (
    drop_postgres_database,
    migrated_postgres_database,
    migrated_sqlite_url,
)
from tests.kucoin_sim.app import KucoinSimulator

BASE = "/api/symbol-mgmt"
TRADE = {"X-API-Key": TRADE_KEY}


@pytest.fixture
async def committed_postgres() -> AsyncIterator[str]:
    """A database of its own: these requests commit, unlike the rest of the suite."""
    url = await migrated_postgres_database("mysymbols_concurrency")
    yield url
    await drop_postgres_database(url)


@pytest.fixture
async def committed_sqlite(tmp_path: Path) -> str:
    return await migrated_sqlite_url(tmp_path)


async def prepared(
    url: str,
    sim: KucoinSimulator,
    make_environment: Callable[..., Environment],
    **overrides: object,
) -> tuple[httpx.AsyncClient, AsyncIterator[httpx.AsyncClient], list[str]]:
    """An app on `url` pointed at `sim`, after one scoring run, with the ranked symbols."""
    environment = make_environment(
        url,
        kucoin={"futures_url": sim.base_url, "websocket_enabled": False, "max_attempts": 1},
        # 200 writers queue for 20 pooled connections behind one lock: on a loaded machine the
        # queue outlasts the 3 s default, and a 503 would be load shedding, not the subject.
        database={"connect_timeout_s": 60.0},
        **overrides,
    )
    clients = start_app(create_app(environment))
    api = await clients.__anext__()
    assert (await api.post(f"{BASE}/scoring/calculate?wait=60", headers=TRADE)).status_code == 200
    ranked = (await api.get(f"{BASE}/scoring/rankings", params={"limit": 14}, headers=TRADE)).json()
    return api, clients, [item["symbol"] for item in ranked["items"]]
