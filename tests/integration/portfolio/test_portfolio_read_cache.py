"""The portfolio read cache: a replica serves its own writes at once and the other replicas'
as soon as PostgreSQL's change notification arrives; switched off, reads go to the database."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI

from app.main import create_app
from app.platform.core.environment import Environment
from app.platform.db.engine import create_engine
from tests.conftest import start_app
from tests.helpers import store_setting
from tests.integration.committed import BASE, TRADE, prepared
from tests.kucoin_sim.app import KucoinSimulator

PORTFOLIO = f"{BASE}/portfolio"
Member = tuple[int, str, str]


async def members(api: httpx.AsyncClient) -> list[Member]:
    body = (await api.get(PORTFOLIO, headers=TRADE)).json()
    return [(m["rank"], m["symbol"], m["weight"]) for m in body["members"]]


async def eventually(
    api: httpx.AsyncClient, expected: list[Member], timeout_s: float = 5.0
) -> float:
    """Seconds until `api` shows `expected` (bounded; fails past `timeout_s`)."""
    started = time.monotonic()
    for _ in range(int(timeout_s / 0.01)):
        if await members(api) == expected:
            return time.monotonic() - started
        await asyncio.sleep(0.01)
    raise AssertionError(f"not within {timeout_s}s: {await members(api)} != {expected}")


@asynccontextmanager
async def replica(
    url: str, sim: KucoinSimulator, make_environment: Callable[..., Environment], read_cache: bool
) -> AsyncIterator[tuple[httpx.AsyncClient, FastAPI]]:
    environment = make_environment(
        url,
        kucoin={"futures_url": sim.base_url, "websocket_enabled": False},
        portfolio={"read_cache": read_cache},
        reads={"cache_ttl_s": 1.0 if read_cache else 0},
    )
    app = create_app(environment)
    clients = start_app(app)
    client = await clients.__anext__()
    try:
        yield client, app
    finally:
        await clients.aclose()


@pytest.mark.parametrize("read_cache", [True, False])
async def test_replicas_see_each_others_writes(
    read_cache: bool,
    committed_postgres: str,
    live_sim: KucoinSimulator,
    make_environment: Callable[..., Environment],
) -> None:
    writer, writer_clients, symbols = await prepared(committed_postgres, live_sim, make_environment)
    try:
        async with replica(committed_postgres, live_sim, make_environment, read_cache) as (
            api,
            app,
        ):
            cache = app.state.app_state.portfolio_cache
            if read_cache:
                for _ in range(500):  # the listener connects in the background
                    if cache.listening:
                        break
                    await asyncio.sleep(0.01)
                assert cache.listening
            else:
                assert cache is None
            for symbol in symbols[:3]:
                await writer.post(f"{PORTFOLIO}/add-symbol", json={"symbol": symbol}, headers=TRADE)
            await eventually(api, await members(writer))
            warm = await members(api)
            assert [s for _, s, _ in warm] == symbols[:3]

            # The other replica's change shows once its notification arrives.
            await writer.post(
                f"{PORTFOLIO}/remove-symbol", json={"symbol": symbols[0]}, headers=TRADE
            )
            await eventually(api, await members(writer))
            assert [s for _, s, _ in await members(api)] == symbols[1:3]

            # This replica's own change shows at once, no waiting.
            response = await api.post(
                f"{PORTFOLIO}/add-symbol", json={"symbol": symbols[5]}, headers=TRADE
            )
            assert response.status_code == 200, response.text
            assert [s for _, s, _ in await members(api)] == [*symbols[1:3], symbols[5]]

            # A configuration edit made outside the API shows too (its trigger notifies).
            engine = create_engine(make_environment(committed_postgres))
            async with engine.begin() as connection:
                await store_setting(connection, "replacement_candidates", 1)
            await engine.dispose()
            for _ in range(500):
                body = (await api.get(PORTFOLIO, headers=TRADE)).json()
                if sum(m["is_replacement_candidate"] for m in body["members"]) == 1:
                    break
                await asyncio.sleep(0.01)
            assert sum(m["is_replacement_candidate"] for m in body["members"]) == 1
    finally:
        await writer_clients.aclose()


async def test_a_cached_answer_is_the_routes_and_everything_else_is_deferred_to_it(
    committed_postgres: str, live_sim: KucoinSimulator, make_environment: Callable[..., Environment]
) -> None:
    writer, writer_clients, symbols = await prepared(committed_postgres, live_sim, make_environment)
    try:
        for symbol in symbols[:3]:
            await writer.post(f"{PORTFOLIO}/add-symbol", json={"symbol": symbol}, headers=TRADE)
        async with replica(committed_postgres, live_sim, make_environment, True) as (api, app):
            for _ in range(500):
                if app.state.app_state.portfolio_cache.listening:
                    break
                await asyncio.sleep(0.01)
            cold = await api.get(PORTFOLIO, headers=TRADE)  # fills the cache
            warm = await api.get(PORTFOLIO, headers=TRADE)
            assert "x-cache" not in cold.headers and warm.headers["x-cache"] == "hit"
            assert warm.headers["x-request-id"]
            assert [m["symbol"] for m in warm.json()["members"]] == symbols[:3]
            assert warm.json()["members"] == [
                {**m, "data_age_s": w["data_age_s"]}
                for m, w in zip(cold.json()["members"], warm.json()["members"], strict=True)
            ]
            no_key = await api.get(PORTFOLIO)
            assert no_key.status_code == 401 and "x-cache" not in no_key.headers
            past = await api.get(PORTFOLIO, params={"as_of": "2020-01-01T00:00:00Z"}, headers=TRADE)
            assert past.json()["members"] == [] and "x-cache" not in past.headers
    finally:
        await writer_clients.aclose()
