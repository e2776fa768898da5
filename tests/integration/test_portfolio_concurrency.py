"""Portfolio invariants under 200 concurrent writes through the app (PostgreSQL), and the same
script sequentially on SQLite: the database, not Python, keeps them."""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.config import Settings
from app.db.engine import create_engine
from app.db.migrations import upgrade_to_head
from app.db.models import PortfolioHistory, PortfolioMember
from app.main import create_app
from tests.conftest import TRADE_KEY, start_app
from tests.databases import create_postgres_database, drop_postgres_database, sqlite_url
from tests.kucoin_sim.app import KucoinSimulator
from tests.sim_fixtures import running_simulator

BASE = "/api/symbol-mgmt"
TRADE = {"X-API-Key": TRADE_KEY}
OPERATIONS = 200


@pytest.fixture
async def sim() -> AsyncIterator[KucoinSimulator]:
    async with running_simulator(universe=24, start_time_ms=int(time.time() * 1000)) as s:
        yield s


@pytest.fixture
async def committed_postgres() -> AsyncIterator[str]:
    """A database of its own: these requests commit, unlike the rest of the suite."""
    url = await create_postgres_database("mysymbols_concurrency")
    await asyncio.to_thread(upgrade_to_head, url)
    yield url
    await drop_postgres_database(url)


@pytest.fixture
async def committed_sqlite(tmp_path: Path) -> str:
    url = sqlite_url(tmp_path)
    await asyncio.to_thread(upgrade_to_head, url)
    return url


def script(symbols: list[str], seed: int = 11) -> list[tuple[str, dict[str, str]]]:
    """A seeded mix of adds, removes and replaces over a pool larger than the portfolio."""
    rng = random.Random(seed)
    ops: list[tuple[str, dict[str, str]]] = []
    for _ in range(OPERATIONS):
        kind = rng.choices(["add-symbol", "remove-symbol", "replace-symbol"], [5, 3, 2])[0]
        if kind == "replace-symbol":
            old, new = rng.sample(symbols, 2)
            ops.append((kind, {"old_symbol": old, "new_symbol": new, "reason": "load"}))
        else:
            ops.append((kind, {"symbol": rng.choice(symbols), "reason": "load"}))
    return ops


async def prepared(
    url: str, sim: KucoinSimulator, make_settings: Callable[..., Settings]
) -> tuple[httpx.AsyncClient, AsyncIterator[httpx.AsyncClient], list[str]]:
    settings = make_settings(
        url, kucoin={"futures_url": sim.base_url, "websocket_enabled": False, "max_attempts": 1}
    )
    clients = start_app(create_app(settings))
    api = await clients.__anext__()
    assert (await api.post(f"{BASE}/scoring/calculate", headers=TRADE)).status_code == 200
    ranked = (await api.get(f"{BASE}/scoring/rankings", params={"limit": 14}, headers=TRADE)).json()
    return api, clients, [item["symbol"] for item in ranked["items"]]


async def check_invariants(engine: AsyncEngine, successes: int) -> tuple[int, Decimal]:
    async with engine.connect() as connection:
        active = (
            await connection.execute(
                select(PortfolioMember.rank, PortfolioMember.weight).where(
                    PortfolioMember.status == "active"
                )
            )
        ).all()
        audit_rows = await connection.scalar(select(func.count()).select_from(PortfolioHistory))
    ranks = sorted(rank for rank, _ in active)
    total = sum((Decimal(weight) for _, weight in active), Decimal(0))
    assert len(active) <= 10
    assert ranks == list(range(1, len(active) + 1))  # unique and without holes
    if active:
        assert abs(total - 100) <= Decimal("0.01")
    assert audit_rows == successes  # exactly one audit row per successful change
    return len(active), total


async def run(api: httpx.AsyncClient, op: tuple[str, dict[str, str]]) -> int:
    path, body = op
    response = await api.post(f"{BASE}/portfolio/{path}", json=body, headers=TRADE)
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json"
    return response.status_code


class TestConcurrentWrites:
    async def test_postgres_keeps_every_invariant_under_200_concurrent_writes(
        self,
        committed_postgres: str,
        sim: KucoinSimulator,
        make_settings: Callable[..., Settings],
    ) -> None:
        api, clients, symbols = await prepared(committed_postgres, sim, make_settings)
        try:
            statuses = await asyncio.gather(*(run(api, op) for op in script(symbols)))
        finally:
            await clients.aclose()
        counts = Counter(statuses)
        assert set(counts) <= {200, 404, 409}, counts  # never a 500, never a lost request
        assert counts[200] > 20 and counts[409] > 0
        engine = create_engine(make_settings(committed_postgres))
        try:
            await check_invariants(engine, counts[200])
        finally:
            await engine.dispose()

    async def test_sqlite_keeps_them_over_the_same_script_run_sequentially(
        self,
        committed_sqlite: str,
        sim: KucoinSimulator,
        make_settings: Callable[..., Settings],
    ) -> None:
        api, clients, symbols = await prepared(committed_sqlite, sim, make_settings)
        statuses = []
        try:
            for op in script(symbols):
                statuses.append(await run(api, op))
        finally:
            await clients.aclose()
        counts = Counter(statuses)
        assert set(counts) <= {200, 404, 409}, counts
        engine = create_engine(make_settings(committed_sqlite))
        try:
            members, _ = await check_invariants(engine, counts[200])
        finally:
            await engine.dispose()
        assert members > 0
