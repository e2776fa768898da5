"""Two replicas (two uvicorn processes, caches on, the scheduler on) on one PostgreSQL database:
the first start's catch-up runs once between them, a write through one is read through the
other as soon as PostgreSQL's change notification arrives, and a run started on one is refused
on the other while it runs and followed there to its end."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.deployed.service import (
    ADMIN_KEY,
    READ,
    Service,
    cached,
    deploy,
    exchange_on_hold,
    fill,
    held,
    outsiders,
)
from tests.helpers import absolute, assert_problem, run_ended

# A cached answer lives this long here (the default is 1 s), so only the other replica's change
# notification can explain a fresh one: the test sees NOTIFY at work, not an entry that aged out.
CACHE_TTL_S = "600"
NOTIFIED_WITHIN_S = 5.0


@pytest.fixture(scope="module")
async def service(
    simulator_url: str, service_log: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Service]:
    directory = tmp_path_factory.mktemp("replicas")
    async for service in deploy(
        "postgresql",
        2,
        simulator_url,
        service_log,
        directory,
        MYSYMBOLS_READS__CACHE_TTL_S=CACHE_TTL_S,
    ):
        yield service


@pytest.fixture
async def a(service: Service) -> AsyncIterator[httpx.AsyncClient]:
    async with service.client(0) as client:
        yield client


@pytest.fixture
async def b(service: Service) -> AsyncIterator[httpx.AsyncClient]:
    async with service.client(1) as client:
        yield client


async def eventually_read(
    client: httpx.AsyncClient, path: str, shows: str, timeout_s: float = NOTIFIED_WITHIN_S
) -> httpx.Response:
    """`path` read through `client` until its body holds `shows` (bounded)."""
    deadline = time.monotonic() + timeout_s
    while True:
        response = await client.get(path, headers=READ)
        assert response.status_code == 200, response.text
        if shows in response.text or time.monotonic() > deadline:
            return response
        await asyncio.sleep(0.02)


class TestFirstStart:
    async def test_the_catch_up_runs_once_between_the_replicas(
        self, a: httpx.AsyncClient, b: httpx.AsyncClient
    ) -> None:
        for job in ("universe_sync", "score_refresh"):
            runs = (await b.get("/jobs/runs", params={"job": job}, headers=READ)).json()
            assert [(r["status"], r["requested_by"]) for r in runs] == [("succeeded", "bootstrap")]
        on_a, on_b = [
            (await client.get("/scoring/rankings", headers=READ)).json() for client in (a, b)
        ]
        assert (on_a["run_id"], on_a["items"]) == (on_b["run_id"], on_b["items"])


class TestCrossReplicaReads:
    async def test_a_replacement_through_one_is_read_through_the_other(
        self, a: httpx.AsyncClient, b: httpx.AsyncClient
    ) -> None:
        members = await fill(a)
        await eventually_read(b, "/portfolio", members[-1])
        cached_on_b = {path: await cached(b, path) for path in ("/portfolio", "/pairlist")}
        leaving, newcomer = members[-1], None
        for candidate in await outsiders(a):
            replaced = await a.post(
                "/portfolio/replace-symbol", json={"old_symbol": leaving, "new_symbol": candidate}
            )
            if replaced.status_code == 200:
                newcomer = candidate
                break
        assert newcomer is not None, "no outsider could replace the last member"
        ccxt = replaced.json()["portfolio"]["members"][-1]["ccxt_symbol"]
        portfolio = await eventually_read(b, "/portfolio", f'"{newcomer}"')
        assert await held(b) == [*members[:-1], newcomer]
        assert portfolio.headers["etag"] != cached_on_b["/portfolio"].headers["etag"]
        pairlist = await eventually_read(b, "/pairlist", ccxt)
        assert pairlist.json()["pairs"][-1] == ccxt

    async def test_a_config_change_through_one_is_read_through_the_other(
        self, a: httpx.AsyncClient, b: httpx.AsyncClient, service: Service
    ) -> None:
        await cached(b, "/config")
        async with service.client(0, key=ADMIN_KEY) as admin:
            changed = await admin.put("/config", json={"values": {"alert_low_score": 41.5}})
        assert changed.status_code == 200, changed.text
        settings = (await eventually_read(b, "/config", "41.5")).json()["settings"]
        assert {s["key"]: s["value"] for s in settings}["alert_low_score"] == 41.5


class TestCrossReplicaRuns:
    async def test_a_run_started_on_one_is_refused_and_followed_on_the_other(
        self, a: httpx.AsyncClient, b: httpx.AsyncClient, simulator_url: str
    ) -> None:
        before = await cached(b, "/scoring/rankings", limit=5)
        async with exchange_on_hold(simulator_url):  # the run waits on KuCoin meanwhile
            started = await a.post("/scoring/calculate")
            assert started.status_code == 202, started.text
            refused = await b.post("/scoring/calculate")
        busy = assert_problem(refused, 409, "run-in-progress")
        assert busy["run_id"] == started.json()["id"]
        run = await run_ended(b, started.headers["location"], READ)
        assert (run["status"], run["progress"]) == ("succeeded", 1.0)
        newest = f'"run_id":{run["result"]["run_id"]}'
        after = await eventually_read(b, "/scoring/rankings?limit=5", newest)
        assert after.json()["run_id"] == run["result"]["run_id"] > before.json()["run_id"]
        assert (await b.get(absolute(b, started.headers["location"]), headers=READ)).json() == (
            await a.get(absolute(a, started.headers["location"]), headers=READ)
        ).json()
