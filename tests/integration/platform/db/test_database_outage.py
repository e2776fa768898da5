"""A PostgreSQL outage, simulated by cutting a TCP proxy: fast 503s, no writes, then recovery."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from app.main import create_app
from app.operations.readiness_cache import TTL_S as READINESS_TTL_S
from app.platform.core.environment import Environment
from tests.conftest import ADMIN_KEY, start_app
from tests.helpers import assert_problem
from tests.tcp_proxy import TcpProxy

STATUS_URL = "/api/symbol-mgmt/status"
HEALTH_URL = "/api/symbol-mgmt/health"
KEYS_URL = "/api/symbol-mgmt/api-keys"
ADMIN = {"X-API-Key": ADMIN_KEY}
RETRY_AFTER_S = 5
FAIL_FAST_S = 5.0
"""A 503 must arrive within this bound: the app fails fast instead of hanging on a dead DB."""
HANG_DEADLINE_S = 15.0
"""Any single request slower than this is a hang: the test fails rather than blocking CI."""
RECOVERY_ATTEMPTS = 3
NAME_PREFIX = "outage-test-"

logger = logging.getLogger(__name__)


async def timed(request: Awaitable[httpx.Response]) -> tuple[httpx.Response, float]:
    """Await one request under the hang deadline; return it with its duration in seconds."""
    started = time.perf_counter()
    async with asyncio.timeout(HANG_DEADLINE_S):
        response = await request
    return response, time.perf_counter() - started


def unique_name(tag: str) -> str:
    return f"{NAME_PREFIX}{tag}-{uuid.uuid4().hex[:8]}"


def assert_database_unavailable(response: httpx.Response, elapsed: float) -> None:
    assert_problem(response, 503, "database-unavailable")
    assert response.headers["retry-after"] == str(RETRY_AFTER_S)
    assert elapsed < FAIL_FAST_S, f"the 503 took {elapsed:.2f}s"


@pytest.fixture
async def proxy(postgres_url: str) -> AsyncIterator[TcpProxy]:
    url = make_url(postgres_url)
    async with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        yield proxy


@pytest.fixture
async def forget_test_keys(postgres_url: str) -> AsyncIterator[None]:
    """These tests commit for real: delete their keys afterwards, straight on the server."""
    yield
    dsn = make_url(postgres_url).set(drivername="postgresql")
    connection = await asyncpg.connect(dsn.render_as_string(hide_password=False))
    try:
        await connection.execute("DELETE FROM api_key WHERE name LIKE $1", NAME_PREFIX + "%")
    finally:
        await connection.close()


@pytest.fixture
def outage_app(
    proxy: TcpProxy, postgres_url: str, make_environment: Callable[..., Environment]
) -> FastAPI:
    proxied = make_url(postgres_url).set(host=proxy.host, port=proxy.port)
    database = {"connect_timeout_s": 1.0, "statement_timeout_s": 2.0, "retry_after_s": 5}
    return create_app(
        make_environment(proxied.render_as_string(hide_password=False), database=database)
    )


@pytest.fixture
async def outage_client(
    outage_app: FastAPI, forget_test_keys: None
) -> AsyncIterator[httpx.AsyncClient]:
    async for client in start_app(outage_app):
        yield client


async def key_names(client: httpx.AsyncClient) -> set[str]:
    response, _ = await timed(client.get(KEYS_URL, headers=ADMIN))
    assert response.status_code == 200, response.text
    return {key["name"] for key in response.json()}


async def assert_everything_works(client: httpx.AsyncClient) -> list[float]:
    """Status, list and create all succeed; returns how long each took."""
    status, status_s = await timed(client.get(STATUS_URL, headers=ADMIN))
    assert status.status_code == 200, status.text
    assert status.json()["ready"] is True
    assert status.json()["database"]["reachable"] is True
    listed, listed_s = await timed(client.get(KEYS_URL, headers=ADMIN))
    assert listed.status_code == 200, listed.text
    name = unique_name("ok")
    created, created_s = await timed(
        client.post(KEYS_URL, json={"name": name, "role": "read"}, headers=ADMIN)
    )
    assert created.status_code == 201, created.text
    assert name in await key_names(client)
    return [status_s, listed_s, created_s]


async def assert_outage_answers(client: httpx.AsyncClient) -> tuple[str, list[float]]:
    """During the cut: 503s for DB-backed routes, 200 for /health; returns the refused name."""
    status, status_s = await timed(client.get(STATUS_URL, headers=ADMIN))
    assert status.status_code == 503, status.text  # not ready: the document, not a problem
    assert status.headers["retry-after"] == str(RETRY_AFTER_S)
    assert status_s < FAIL_FAST_S, f"the 503 took {status_s:.2f}s"
    assert status.json()["ready"] is False
    assert status.json()["database"]["reachable"] is False
    await asyncio.sleep(READINESS_TTL_S)  # the anonymous answer is shared for a second
    anonymous, _ = await timed(client.get(STATUS_URL))
    assert (anonymous.status_code, anonymous.json()) == (
        503,
        {"status": "degraded", "ready": False},
    )
    listed, listed_s = await timed(client.get(KEYS_URL, headers=ADMIN))
    assert_database_unavailable(listed, listed_s)
    name = unique_name("x")
    created, created_s = await timed(
        client.post(KEYS_URL, json={"name": name, "role": "read"}, headers=ADMIN)
    )
    assert_database_unavailable(created, created_s)
    health, health_s = await timed(client.get(HEALTH_URL))
    assert health.status_code == 200, health.text
    assert health_s < FAIL_FAST_S
    return name, [status_s, listed_s, created_s]


async def first_success_after_restore(client: httpx.AsyncClient) -> int:
    """GET /status until it is 200 (bounded); returns the attempt that succeeded (1 = first).
    With a key: the answer without one is shared for a second, so it may be the outage's."""
    for attempt in range(1, RECOVERY_ATTEMPTS + 1):
        response, _ = await timed(client.get(STATUS_URL, headers=ADMIN))
        if response.status_code == 200:
            return attempt
        assert response.status_code == 503, response.text
        await asyncio.sleep(0.2)
    pytest.fail(f"/status still failing after {RECOVERY_ATTEMPTS} attempts")


async def test_requests_go_through_the_proxy_before_the_outage(
    outage_client: httpx.AsyncClient, proxy: TcpProxy
) -> None:
    await assert_everything_works(outage_client)
    assert proxy.accepted >= 1
    assert proxy.live_connections >= 1


async def test_outage_fails_fast_with_503_and_writes_nothing(
    outage_client: httpx.AsyncClient, proxy: TcpProxy
) -> None:
    await assert_everything_works(outage_client)
    await proxy.cut()
    assert proxy.aborted >= 1, "the pool held no connection, so none died"
    accepted = proxy.accepted
    refused_name, latencies = await assert_outage_answers(outage_client)
    logger.info("503 latencies (status, list, create): %s", [f"{s:.3f}s" for s in latencies])
    assert proxy.accepted == accepted
    await proxy.restore()
    await first_success_after_restore(outage_client)
    assert refused_name not in await key_names(outage_client)


async def test_recovers_after_restore_without_a_new_app(
    outage_client: httpx.AsyncClient, proxy: TcpProxy
) -> None:
    await assert_everything_works(outage_client)
    await proxy.cut()
    await assert_outage_answers(outage_client)
    accepted = proxy.accepted
    await proxy.restore()
    attempt = await first_success_after_restore(outage_client)
    logger.info("first /status 200 after restore on attempt %d", attempt)
    assert attempt == 1, "pool_pre_ping should make the first request after restore succeed"
    await assert_everything_works(outage_client)
    assert proxy.accepted > accepted


async def test_a_blip_leaves_dead_pooled_connections_that_pre_ping_replaces(
    outage_client: httpx.AsyncClient, proxy: TcpProxy
) -> None:
    """Cut and restore with no request in between: the pool holds only dead connections."""
    warm = [outage_client.get(KEYS_URL, headers=ADMIN) for _ in range(4)]
    async with asyncio.timeout(HANG_DEADLINE_S):
        assert {r.status_code for r in await asyncio.gather(*warm)} == {200}
    await proxy.cut()
    assert proxy.aborted >= 1
    await proxy.restore()
    status, _ = await timed(outage_client.get(STATUS_URL))
    assert status.status_code == 200, "pool_pre_ping should replace the dead connection"
    name = unique_name("blip")
    created, _ = await timed(
        outage_client.post(KEYS_URL, json={"name": name, "role": "read"}, headers=ADMIN)
    )
    assert created.status_code == 201, created.text
    assert name in await key_names(outage_client)


async def test_repeated_cut_restore_cycles_keep_recovering(
    outage_client: httpx.AsyncClient, proxy: TcpProxy
) -> None:
    attempts = []
    for _cycle in range(3):
        await assert_everything_works(outage_client)
        await proxy.cut()
        assert proxy.live_connections == 0
        refused_name, _ = await assert_outage_answers(outage_client)
        await proxy.restore()
        attempts.append(await first_success_after_restore(outage_client))
        assert refused_name not in await key_names(outage_client)
    logger.info("first /status 200 after each restore on attempts %s", attempts)
    assert attempts == [1, 1, 1]
    await assert_everything_works(outage_client)
