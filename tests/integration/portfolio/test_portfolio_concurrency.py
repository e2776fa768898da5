"""Portfolio invariants under 200 concurrent writes through the app (PostgreSQL), and the same
script sequentially on SQLite: the database, not Python, keeps them."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Callable
from decimal import Decimal

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.platform.core.environment import Environment
from app.platform.db.engine import create_engine
from app.portfolio.models import PortfolioHistory, PortfolioMember
from tests.integration.committed import BASE, TRADE, prepared
from tests.kucoin_sim.app import KucoinSimulator

OPERATIONS = 200


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


async def check_invariants(engine: AsyncEngine, successes: int) -> tuple[int, Decimal]:
    async with engine.connect() as connection:
        active = (
            await connection.execute(
                select(PortfolioMember.seat, PortfolioMember.weight).where(
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
        live_sim: KucoinSimulator,
        make_environment: Callable[..., Environment],
    ) -> None:
        api, clients, symbols = await prepared(committed_postgres, live_sim, make_environment)
        try:
            statuses = await asyncio.gather(*(run(api, op) for op in script(symbols)))
        finally:
            await clients.aclose()
        counts = Counter(statuses)
        assert set(counts) <= {200, 404, 409}, counts  # never a 500, never a lost request
        assert counts[200] > 20 and counts[409] > 0
        engine = create_engine(make_environment(committed_postgres))
        try:
            await check_invariants(engine, counts[200])
        finally:
            await engine.dispose()

    async def test_sqlite_keeps_them_over_the_same_script_run_sequentially(
        self,
        committed_sqlite: str,
        live_sim: KucoinSimulator,
        make_environment: Callable[..., Environment],
    ) -> None:
        api, clients, symbols = await prepared(committed_sqlite, live_sim, make_environment)
        statuses = []
        try:
            for op in script(symbols):
                statuses.append(await run(api, op))
        finally:
            await clients.aclose()
        counts = Counter(statuses)
        assert set(counts) <= {200, 404, 409}, counts
        engine = create_engine(make_environment(committed_sqlite))
        try:
            members, _ = await check_invariants(engine, counts[200])
        finally:
            await engine.dispose()
        assert members > 0
