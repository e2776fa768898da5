"""One KuCoin budget for every replica: a PostgreSQL window, and the local share without it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.kucoin.client import KucoinFuturesClient
from app.kucoin.errors import RateLimited
from app.kucoin.ratelimit import WeightLimiter
from app.platform.db.models import ExchangeWeight
from app.platform.db.rate_budget import PostgresWindow
from tests.exchange_calls import server_time_ms, service_status
from tests.kucoin_sim.app import KucoinSimulator
from tests.sim_fixtures import PINNED_NOW_MS, make_client

QUOTA, WINDOW_S = 40, 1.0
CALLS = 40  # per replica, weight 2 each (`timestamp`: no limit headers to follow)


@pytest.fixture
def sim_config() -> dict[str, Any]:
    return {
        "universe": 4,
        "start_time_ms": PINNED_NOW_MS,
        "quota": QUOTA,
        "quota_window_s": WINDOW_S,
    }


@pytest.fixture
async def engines(committed_postgres: str) -> AsyncIterator[list[AsyncEngine]]:
    """One engine per replica, on one database."""
    made = [create_async_engine(committed_postgres) for _ in range(2)]
    yield made
    for engine in made:
        await engine.dispose()


def replica(
    http: aiohttp.ClientSession, sim: KucoinSimulator, limiter: WeightLimiter
) -> KucoinFuturesClient:
    return make_client(http, sim.base_url, quota=QUOTA, window_s=WINDOW_S, limiter=limiter)


async def hammer(client: KucoinFuturesClient) -> None:
    await asyncio.gather(*(server_time_ms(client) for _ in range(CALLS)))


class TestSharedWindow:
    async def test_two_replicas_together_stay_within_the_quota(
        self, engines: list[AsyncEngine], http: aiohttp.ClientSession, sim: KucoinSimulator
    ) -> None:
        clients = [
            replica(
                http,
                sim,
                WeightLimiter(
                    QUOTA, WINDOW_S, shared=PostgresWindow(engine, replica=name, pool=sim.base_url)
                ),
            )
            for engine, name in zip(engines, "ab", strict=True)
        ]
        await asyncio.gather(*(hammer(c) for c in clients))
        statuses = [r.status for r in sim.requests]
        assert statuses.count(429) == 0
        assert statuses.count(200) == 2 * CALLS
        assert sum(r.weight for r in sim.requests) == 2 * CALLS * 2
        assert all(c.limiter.mode == "shared" for c in clients)
        async with engines[0].connect() as connection:  # both replicas wrote to the one window
            replicas = set((await connection.scalars(select(ExchangeWeight.replica))).all())
        assert replicas <= {"a", "b"} and replicas

    async def test_without_it_two_replicas_exceed_the_quota(
        self, http: aiohttp.ClientSession, sim: KucoinSimulator
    ) -> None:
        clients = [replica(http, sim, WeightLimiter(QUOTA, WINDOW_S)) for _ in range(2)]
        await asyncio.gather(*(hammer(c) for c in clients))
        assert [r.status for r in sim.requests].count(429) > 0


class TestFallback:
    async def test_an_unreachable_window_leaves_each_replica_its_share(
        self, http: aiohttp.ClientSession, sim: KucoinSimulator
    ) -> None:
        nowhere = create_async_engine("postgresql+asyncpg://postgres@127.0.0.1:1/nowhere")
        try:
            window = PostgresWindow(nowhere, replica="a", pool=sim.base_url, timeout_s=1.0)
            limiter = WeightLimiter(QUOTA, WINDOW_S, shared=window, replicas=2)
            client = replica(http, sim, limiter)
            started = asyncio.get_running_loop().time()
            await asyncio.gather(*(server_time_ms(client) for _ in range(QUOTA // 2)))
            elapsed = asyncio.get_running_loop().time() - started
        finally:
            await nowhere.dispose()
        assert limiter.mode == "fallback" and limiter.fallback_reason
        assert limiter.local_quota == QUOTA // 2
        snapshot = limiter.snapshot()
        assert (snapshot.mode, snapshot.local_quota) == ("fallback", QUOTA // 2)
        # 20 calls of weight 2 = 40 against a share of 20: the second half waited a window.
        assert limiter.waited_s > 0 and elapsed >= WINDOW_S * 0.9
        assert [r.status for r in sim.requests].count(429) == 0


class TestSharedRateLimit:
    """Another client on the IP empties KuCoin's pool: the 429 one replica receives holds the
    other until the reset, instead of the other drawing 429s of its own."""

    @pytest.fixture
    def sim_config(self) -> dict[str, Any]:
        return {
            "universe": 4,
            "start_time_ms": PINNED_NOW_MS,
            "quota": QUOTA // 2,
            "quota_window_s": WINDOW_S,
        }

    async def test_a_429_at_one_replica_holds_the_other_until_the_reset(
        self, engines: list[AsyncEngine], http: aiohttp.ClientSession, sim: KucoinSimulator
    ) -> None:
        a, b = (
            make_client(
                http,
                sim.base_url,
                max_attempts=1,
                limiter=WeightLimiter(
                    QUOTA // 2,
                    WINDOW_S,
                    shared=PostgresWindow(engine, replica=name, pool=sim.base_url),
                ),
            )
            for engine, name in zip(engines, "ab", strict=True)
        )
        outside = [http.get(f"{sim.base_url}/api/v1/timestamp") for _ in range(QUOTA // 4)]
        for response in await asyncio.gather(*outside):  # 10 x 2: the pool is empty
            response.release()
        with pytest.raises(RateLimited):
            await server_time_ms(a)
        assert a.limiter.budget is not None and a.limiter.budget._hold_task is not None
        await a.limiter.budget._hold_task  # the hold reaches the shared window
        await asyncio.gather(*(service_status(b) for _ in range(5)))  # 5 x 4: a window
        theirs = [r.status for r in sim.requests if r.path == "/api/v1/status"]
        assert theirs == [200] * 5  # without the hold, b's first sends draw 429s


class TestPostgresWindow:
    async def test_handed_over_sends_and_a_hold_count_for_every_replica(
        self, engines: list[AsyncEngine]
    ) -> None:
        mine = PostgresWindow(engines[0], replica="a", pool="p")
        theirs = PostgresWindow(engines[1], replica="b", pool="p")
        await mine.record([(5.0, 7), (40.0, 9)])  # 40 s ago: already outside a 30 s window
        assert await theirs.used(30.0) == 7
        assert await theirs.spend(1, 10, 30.0) == 0.0
        assert await theirs.spend(3, 10, 30.0) > 0  # 7 + 1 + 3 > 10
        await mine.hold(2.0, 100, 30.0)
        wait = await theirs.spend(1, 100, 30.0)
        assert 1.0 < wait <= 2.0
