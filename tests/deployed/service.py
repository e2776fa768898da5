"""The service as deployed, for the deployed suite: uvicorn processes with the production
defaults (both read caches on, the scheduler on, every request and job run committed) on a fresh
PostgreSQL database or SQLite file, pointed at a simulator process; and what a client does with
it, through the API only."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.databases import (
    drop_postgres_database,
    migrated_postgres_database,
    migrated_sqlite_url,
)
from tests.deployed import API, process, service_env, uvicorn, wait_for
from tests.sim_fixtures import free_port

ADMIN_KEY = "deployed-admin-key-0123456789"
TRADE_KEY = "deployed-trade-key-0123456789"
READ_KEY = "deployed-read-key-01234567890"
KEYS = f"admin:{ADMIN_KEY},trade:{TRADE_KEY},read:{READ_KEY}"
ADMIN = {"X-API-Key": ADMIN_KEY}
TRADE = {"X-API-Key": TRADE_KEY}
READ = {"X-API-Key": READ_KEY}
UNIVERSE = 30  # contracts the simulator lists
# Every job's period: long enough that no scheduled tick falls in a run of the suite (ticks are
# epoch-aligned multiples of it, ~116 days apart). The first start's catch-up (sync, then score)
# still runs at once on a fresh database, as it does in production.
TICK_S = "10000000"


@dataclass(frozen=True)
class Service:
    """A running deployment: its replicas' origins, its backend and its database."""

    origins: list[str]
    backend: str
    database_url: str

    def client(self, replica: int = 0, key: str = TRADE_KEY) -> httpx.AsyncClient:
        """A client of replica `replica` whose paths are relative to the API."""
        return httpx.AsyncClient(
            base_url=f"{self.origins[replica]}{API}", headers={"X-API-Key": key}, timeout=60
        )


async def first_start_caught_up(client: httpx.AsyncClient, timeout_s: float = 180) -> None:
    """Wait, through the API, until the first start's catch-up has synced and scored."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        runs = (await client.get("/jobs/runs", params={"job": "score_refresh"})).json()
        if any(run["status"] == "succeeded" for run in runs):
            return
        await asyncio.sleep(0.25)
    raise AssertionError(f"the first start did not score within {timeout_s} s")


async def migrated_database(backend: str, directory: Path) -> str:
    if backend == "postgresql":
        return await migrated_postgres_database()
    return await migrated_sqlite_url(directory)


async def deploy(
    backend: str,
    replicas: int,
    simulator_url: str,
    log: Path,
    directory: Path,
    **variables: str,
) -> AsyncIterator[Service]:
    """`replicas` uvicorn processes on one fresh database with the defaults (`variables` on
    top), started together, each answering and the first start's catch-up done."""
    database = await migrated_database(backend, directory)
    env = service_env(
        database,
        int(simulator_url.rsplit(":", 1)[1]),
        ADMIN_KEY,
        MYSYMBOLS_API_KEYS=KEYS,
        MYSYMBOLS_SCHEDULER__ENABLED="true",
        MYSYMBOLS_SCHEDULER__TICK_S=TICK_S,
        **variables,
    )
    ports = [free_port() for _ in range(replicas)]
    try:
        with ExitStack() as stack:
            for port in ports:
                stack.enter_context(process(uvicorn("app.main:app", port), env, None, log))
            origins = [f"http://127.0.0.1:{port}" for port in ports]
            for origin in origins:
                await asyncio.to_thread(wait_for, f"{origin}{API}/health", 120)
            service = Service(origins, backend, database)
            async with service.client(key=ADMIN_KEY) as client:
                await first_start_caught_up(client)
            yield service
    finally:
        if backend == "postgresql":
            await drop_postgres_database(database)


@asynccontextmanager
async def exchange_on_hold(simulator_url: str) -> AsyncIterator[None]:
    """KuCoin's (the simulator's) answers held back inside the block: a fetch under way, a
    scoring run's first of all, waits until it ends."""
    async with httpx.AsyncClient(base_url=simulator_url) as simulator:
        (await simulator.post("/_sim/hold")).raise_for_status()
        try:
            yield
        finally:
            (await simulator.post("/_sim/release")).raise_for_status()


async def cached(client: httpx.AsyncClient, path: str, **params: Any) -> httpx.Response:
    """`path` read until the replica serves it from its response cache (the cache is on), so a
    write that follows finds an answer kept to drop."""
    for _ in range(10):
        response = await client.get(path, params=params, headers=READ)
        assert response.status_code == 200, response.text
        if response.headers.get("x-cache") == "hit":
            return response
    raise AssertionError(f"{path} was never served from the cache")


async def held(client: httpx.AsyncClient) -> list[str]:
    """The members' symbols, by rank."""
    response = await client.get("/portfolio", headers=READ)
    assert response.status_code == 200, response.text
    return [member["symbol"] for member in response.json()["members"]]


async def outsiders(client: httpx.AsyncClient) -> list[str]:
    """The scored symbols that are not members, best first."""
    ranked = (await client.get("/scoring/rankings", params={"limit": 100}, headers=READ)).json()
    members = set(await held(client))
    return [item["symbol"] for item in ranked["items"] if item["symbol"] not in members]


async def fill(client: httpx.AsyncClient, size: int = 10) -> list[str]:
    """Add the best outsiders that the portfolio accepts until it holds `size`; its members."""
    for symbol in await outsiders(client):
        if len(await held(client)) >= size:
            break
        response = await client.post("/portfolio/add-symbol", json={"symbol": symbol})
        assert response.status_code in (200, 409, 422), response.text  # refused: the next one
    members = await held(client)
    assert len(members) == size, members
    return members
