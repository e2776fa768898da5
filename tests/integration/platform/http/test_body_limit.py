"""Bodies bounded before anything reads them, as deployed: a uvicorn process refuses a 100 MB
body, declared by its Content-Length or sent chunked without one (then from a caller with a key:
without one, the 401 comes first, the body unread), with a 413 problem
while its resident memory grows by less than 16 MB (the body before the limit applied was read
and JSON-parsed first: +360 MB for 62 MB). The body streams from a generator, so the test never
holds it either."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN_KEY, BOOTSTRAP_KEYS
from tests.databases import (
    drop_postgres_database,
    migrated_postgres_database,
)
from tests.deployed import API, process, service_env, uvicorn, wait_for
from tests.helpers import PROBLEM
from tests.sim_fixtures import free_port

REBALANCE = f"{API}/portfolio/rebalance"
HUGE = 100 * 1024 * 1024
CHUNK = 64 * 1024
MAX_GROWTH_KB = 16 * 1024
NOBODY_LISTENS = 9  # KuCoin's port: the refusal must not need it


@dataclass(frozen=True)
class Served:
    origin: str
    pid: int


@pytest.fixture(scope="module")
async def served(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Served]:
    """The service in a uvicorn process of its own, on a migrated PostgreSQL database, with the
    default limits (no setting given)."""
    database = await migrated_postgres_database("mysymbols_body_limit")
    try:
        env = service_env(
            database,
            NOBODY_LISTENS,
            ADMIN_KEY,
            MYSYMBOLS_API_KEYS=BOOTSTRAP_KEYS,
            MYSYMBOLS_KUCOIN__MAX_ATTEMPTS="1",
        )
        port = free_port()
        log = tmp_path_factory.mktemp("body_limit") / "service.log"
        with process(uvicorn("app.main:app", port), env, None, log) as proc:
            origin = f"http://127.0.0.1:{port}"
            await asyncio.to_thread(wait_for, f"{origin}{API}/health", 120)
            yield Served(origin, proc.pid)
    finally:
        await drop_postgres_database(database)


def status_kb(pid: int, field: str) -> int:
    """A `/proc/<pid>/status` figure (VmRSS, VmHWM), in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} for process {pid}")


def reset_peak(pid: int) -> None:
    """Start VmHWM afresh at the current resident size (Linux: `5` to clear_refs)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def endless_positions(total: int) -> Iterator[bytes]:
    """`total` bytes of a `positions` map that never closes, a chunk at a time."""
    head = b'{"positions": {'
    yield head
    sent = len(head)
    entry = b'"BTCUSDT": 1, '
    chunk = entry * (CHUNK // len(entry))
    while sent < total:
        piece = chunk[: total - sent]
        yield piece
        sent += len(piece)


def post_huge(origin: str, headers: dict[str, str]) -> httpx.Response:
    with httpx.Client(base_url=origin, timeout=120) as client:
        response = client.post(
            REBALANCE,
            content=endless_positions(HUGE),
            headers={"Content-Type": "application/json", **headers},
        )
        response.read()
        return response


@dataclass(frozen=True)
class Memory:
    before_kb: int
    after_kb: int
    peak_kb: int  # the highest resident size while the request was answered


async def measured(served: Served, headers: dict[str, str]) -> tuple[httpx.Response, Memory]:
    async with httpx.AsyncClient(base_url=served.origin) as client:  # the route's code warm
        assert (await client.post(REBALANCE, json={})).status_code == 401
    before = status_kb(served.pid, "VmRSS")
    reset_peak(served.pid)
    response = await asyncio.to_thread(post_huge, served.origin, headers)
    after = status_kb(served.pid, "VmRSS")
    return response, Memory(before, after, status_kb(served.pid, "VmHWM"))


def assert_refused_within_memory(response: httpx.Response, memory: Memory) -> None:
    assert response.status_code == 413, response.text[:500]
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["type"] == "urn:mysymbols:problem:content-too-large"
    assert body["max_body_bytes"] == 256 * 1024  # the default
    assert response.headers["connection"] == "close"
    assert memory.after_kb - memory.before_kb < MAX_GROWTH_KB, memory
    assert memory.peak_kb - memory.before_kb < MAX_GROWTH_KB, memory


async def test_a_100_mb_body_declared_by_its_length_is_refused_unread(served: Served) -> None:
    response, memory = await measured(served, {"Content-Length": str(HUGE)})
    assert_refused_within_memory(response, memory)


async def test_a_100_mb_chunked_body_is_refused_as_it_streams(served: Served) -> None:
    """From a caller with a key: without one, the key is refused first (below)."""
    response, memory = await measured(served, {"X-API-Key": ADMIN_KEY})
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert "content-length" not in response.request.headers
    assert_refused_within_memory(response, memory)


async def test_a_100_mb_chunked_body_without_a_key_is_refused_unread(served: Served) -> None:
    response, memory = await measured(served, {})
    assert response.status_code == 401, response.text[:500]
    assert response.json()["type"] == "urn:mysymbols:problem:unauthenticated"
    assert memory.after_kb - memory.before_kb < MAX_GROWTH_KB, memory
    assert memory.peak_kb - memory.before_kb < MAX_GROWTH_KB, memory


async def test_the_service_answers_on_after_refusing(served: Served) -> None:
    await asyncio.to_thread(post_huge, served.origin, {})
    async with httpx.AsyncClient(base_url=served.origin) as client:
        assert (await client.get(f"{API}/health")).status_code == 200
