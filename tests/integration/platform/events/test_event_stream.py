"""The live event stream over real HTTP from a second replica: typed events from the outbox,
a reconnect with Last-Event-ID receives exactly the missed events in order, heartbeats."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
import uvicorn
from fastapi import FastAPI

from app.main import create_app
from app.platform.core.environment import Environment
from tests.integration.committed import BASE, TRADE, prepared
from tests.kucoin_sim.app import KucoinSimulator
from tests.sim_fixtures import free_port

Event = tuple[int, str, dict[str, object]]


@asynccontextmanager
async def replica(environment: Environment) -> AsyncIterator[str]:
    """Another app instance served by uvicorn on loopback; yields its base URL."""
    async with serve(create_app(environment)) as url:
        yield url


@asynccontextmanager
async def serve(app: FastAPI) -> AsyncIterator[str]:
    """`app` served by uvicorn on loopback; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    for _ in range(500):
        if server.started:
            break
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=10)


async def read_events(
    lines: AsyncIterator[str], count: int, timeout_s: float = 5.0
) -> tuple[list[Event], list[str]]:
    """The next `count` events (and any comment lines) from an SSE line stream."""
    events: list[Event] = []
    comments: list[str] = []
    fields: dict[str, str] = {}

    async def consume() -> None:
        async for line in lines:
            if line.startswith(":"):
                comments.append(line)
            elif line == "":
                if "id" in fields:
                    events.append((int(fields["id"]), fields["event"], json.loads(fields["data"])))
                fields.clear()
                if len(events) == count:
                    return
            else:
                name, _, value = line.partition(": ")
                fields[name] = value

    await asyncio.wait_for(consume(), timeout=timeout_s)
    return events, comments


async def test_a_reconnect_receives_exactly_the_missed_events_in_order(
    committed_postgres: str, live_sim: KucoinSimulator, make_environment: Callable[..., Environment]
) -> None:
    writer, writer_clients, symbols = await prepared(committed_postgres, live_sim, make_environment)
    environment = make_environment(
        committed_postgres,
        kucoin={"futures_url": live_sim.base_url, "websocket_enabled": False},
        events={"heartbeat_s": 0.3, "poll_s": 5.0},  # a long poll: wake-ups come from NOTIFY
    )
    add, remove = f"{BASE}/portfolio/add-symbol", f"{BASE}/portfolio/remove-symbol"
    try:
        async with replica(environment) as url, httpx.AsyncClient(base_url=url, timeout=10) as http:
            async with http.stream("GET", f"{BASE}/events", headers=TRADE) as stream:
                assert stream.headers["content-type"].startswith("text/event-stream")
                lines = stream.aiter_lines()
                await read_events(lines, 0)  # the retry hint: sent once the start is taken
                await writer.post(add, json={"symbol": symbols[0]}, headers=TRADE)
                seen, _ = await read_events(lines, 2)
            assert [kind for _, kind, _ in seen] == ["portfolio_changed", "weights_updated"]
            assert seen[0][2]["action"] == "add" and seen[0][2]["symbol"] == symbols[0]
            assert seen[1][0] == seen[0][0] + 1
            last = seen[-1][0]

            # Disconnected: things happen.
            await writer.post(add, json={"symbol": symbols[1]}, headers=TRADE)
            await writer.post(remove, json={"symbol": symbols[0]}, headers=TRADE)

            headers = {**TRADE, "Last-Event-ID": str(last)}
            async with http.stream("GET", f"{BASE}/events", headers=headers) as stream:
                lines = stream.aiter_lines()
                missed, comments = await read_events(lines, 4)
                _, heartbeats = await read_events(lines, 0, timeout_s=2.0)
        assert [e[0] for e in missed] == list(range(last + 1, last + 5))
        assert [(k, p.get("action")) for _, k, p in missed] == [
            ("portfolio_changed", "add"),
            ("weights_updated", None),
            ("portfolio_changed", "remove"),
            ("weights_updated", None),
        ]
        assert missed[2][2]["symbol"] == symbols[0] and missed[2][2]["members"] == [symbols[1]]
        assert any("heartbeat" in c for c in comments + heartbeats)
    finally:
        await writer_clients.aclose()


async def test_streams_run_side_by_side_with_the_read_cache_on(
    committed_sqlite: str, live_sim: KucoinSimulator, make_environment: Callable[..., Environment]
) -> None:
    """A second tab's stream opens while the first is open (the read cache once made every
    `GET /events` wait for the first one to end, as identical reads wait for one answer)."""
    environment = make_environment(
        committed_sqlite,
        kucoin={"futures_url": live_sim.base_url, "websocket_enabled": False},
        reads={"cache_ttl_s": 1.0},
    )
    async with (
        replica(environment) as url,
        httpx.AsyncClient(base_url=url, timeout=5) as http,
        http.stream("GET", f"{BASE}/events", headers=TRADE) as first,
        http.stream("GET", f"{BASE}/events", headers=TRADE) as second,
    ):
        for stream in (first, second):
            assert stream.status_code == 200
            events, _ = await read_events(stream.aiter_lines(), 0)  # the retry hint
            assert events == []
