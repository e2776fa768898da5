"""A client that hangs up before its body has arrived, as deployed (uvicorn with the image's
`--http`, on each database): a write announcing `Content-Length: 100` whose body stops after `{`
and whose connection is then closed is sent nothing, logs no error (its access line, at INFO, is
all) and is counted as a 499 (client closed), never a 5xx. Before, each logged `ERROR unhandled
error … ClientDisconnect` with a traceback and counted a 500 in `mysymbols_http_requests_total`,
which feeds the critical `MySymbolsHighErrorRatio` alert."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import ADMIN_KEY
from tests.databases import drop_postgres_database, migrated_postgres_database, migrated_sqlite_url
from tests.deployed import API, process, service_env, uvicorn, wait_for
from tests.sim_fixtures import free_port

NOBODY_LISTENS = 9  # KuCoin's port: these writes never reach it
ADMIN = {"X-API-Key": ADMIN_KEY}
WRITES = [
    ("POST", f"{API}/signals"),
    ("POST", f"{API}/api-keys"),
    ("POST", f"{API}/replays"),
    ("PUT", f"{API}/config"),
]
COUNTED_WITHIN_S = 15.0


@dataclass(frozen=True)
class Served:
    origin: str
    port: int
    log: Path


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
async def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Served]:
    """The service as the image starts it, logging JSON at INFO to a file of its own."""
    directory = tmp_path_factory.mktemp(f"hang-ups-{request.param}")
    postgres = request.param == "postgresql"
    url = await (migrated_postgres_database() if postgres else migrated_sqlite_url(directory))
    env = service_env(
        url, NOBODY_LISTENS, ADMIN_KEY, MYSYMBOLS_LOG_LEVEL="INFO", MYSYMBOLS_LOG_FORMAT="json"
    )
    port, log = free_port(), directory / "service.log"
    try:
        with process(uvicorn("app.main:app", port), env, None, log):
            origin = f"http://127.0.0.1:{port}"
            await asyncio.to_thread(wait_for, f"{origin}{API}/health", 120)
            yield Served(origin, port, log)
    finally:
        if postgres:
            await drop_postgres_database(url)


def hang_up(port: int, method: str, path: str, *, half: bool) -> bytes | None:
    """Send `method path` announcing 100 bytes of body, send `{`, then go away: close the
    socket (`half` False: the issue's client), or stop sending (`half`: its writing half shut,
    as `nc -N` does) and read what the server sends back before it closes (None when closed)."""
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: {ADMIN_KEY}\r\n"
        "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=COUNTED_WITHIN_S) as sock:
        sock.sendall(head.encode())
        if not half:
            return None
        sock.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        return received


def counted(origin: str, method: str, route: str) -> dict[str, float]:
    """`mysymbols_http_requests_total` of `method route`, by status, as scraped now."""
    metrics = httpx.get(f"{origin}/metrics", headers=ADMIN, timeout=10).text
    return {
        each.labels["status"]: each.value
        for family in text_string_to_metric_families(metrics)
        for each in family.samples
        if each.name == "mysymbols_http_requests_total"
        and (each.labels["method"], each.labels["route"]) == (method, route)
    }


def records(log: Path) -> list[dict[str, object]]:
    """The service's log records so far (its JSON lines)."""
    lines = log.read_text(errors="replace").splitlines()
    return [json.loads(line) for line in lines if line.startswith("{")]


def access_lines(log: Path, path: str) -> list[dict[str, object]]:
    """The access lines of `path` logged so far."""
    return [r for r in records(log) if r.get("logger") == "app.access" and r.get("route") == path]


@pytest.mark.parametrize("half", [False, True], ids=["closed", "half-closed"])
@pytest.mark.parametrize(("method", "path"), WRITES, ids=[f"{m} {p}" for m, p in WRITES])
async def test_a_body_that_never_arrives_ends_the_request_quietly(
    served: Served, method: str, path: str, half: bool
) -> None:
    before = await asyncio.to_thread(counted, served.origin, method, path)
    sent_back = await asyncio.to_thread(hang_up, served.port, method, path, half=half)
    assert sent_back in (None, b"")  # nothing written (where the client can still read)
    deadline = time.monotonic() + COUNTED_WITHIN_S
    while (after := await asyncio.to_thread(counted, served.origin, method, path)) == before:
        assert time.monotonic() < deadline, "the request was never counted"
        await asyncio.sleep(0.1)
    assert {status: n - before.get(status, 0) for status, n in after.items()} == {"499": 1}
    # The log is written off the event loop: its line may follow the count.
    while len(lines := access_lines(served.log, path)) < sum(after.values()):
        assert time.monotonic() < deadline, "the request's access line was never written"
        await asyncio.sleep(0.1)
    assert [(r["logger"], r["level"], r["method"], r["status"]) for r in lines[-1:]] == [
        ("app.access", "INFO", method, 499)
    ]
    assert {r["status"] for r in lines} == {499}
    logged = records(served.log)
    assert [r for r in logged if r.get("level") not in ("INFO", "DEBUG")] == []
    assert not any("ClientDisconnect" in json.dumps(r) for r in logged)
