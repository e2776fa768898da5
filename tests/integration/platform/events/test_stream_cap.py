"""Event streams capped per key and per process over real HTTP: beyond either cap `429`
problem+json with `Retry-After`; a stream that ends gives its slot back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack

import httpx

from app.main import create_app
from app.platform.core.environment import Environment
from app.platform.http.rate_limit import CallerLimits
from tests.conftest import ADMIN_KEY, READ_KEY, TRADE_KEY
from tests.helpers import PROBLEM
from tests.integration.committed import BASE
from tests.integration.platform.events.test_event_stream import read_events, serve

EVENTS = f"{BASE}/events"
READER, TRADER, ADMIN = ({"X-API-Key": k} for k in (READ_KEY, TRADE_KEY, ADMIN_KEY))


async def opened(
    stack: AsyncExitStack, http: httpx.AsyncClient, headers: dict[str, str]
) -> httpx.Response:
    """A stream held open until `stack` closes (its first line read: it has started)."""
    response = await stack.enter_async_context(http.stream("GET", EVENTS, headers=headers))
    if response.status_code == 200:
        lines: AsyncIterator[str] = response.aiter_lines()
        await read_events(lines, 0)  # the retry hint
        # Kept with the stack: a line iterator collected as garbage closes its connection.
        stack.push_async_callback(lambda: _keep(lines))
    else:
        await response.aread()
    return response


async def _keep(_: object) -> None:
    """Holds a reference until the stack closes."""


async def test_streams_are_capped_per_key_and_per_process(
    committed_sqlite: str, make_environment: Callable[..., Environment]
) -> None:
    environment = make_environment(
        committed_sqlite,
        events={"heartbeat_s": 5.0, "poll_s": 0.2},
        limits={"streams_per_key": 2, "streams_per_process": 3},
    )
    app = create_app(environment)
    limits: CallerLimits = app.state.caller_limits
    async with serve(app) as url, httpx.AsyncClient(base_url=url, timeout=10) as http:
        async with AsyncExitStack() as held:
            reader = [await opened(held, http, READER) for _ in range(2)]
            assert [r.status_code for r in reader] == [200, 200]
            third = await http.get(EVENTS, headers=READER)  # refused before any streaming
            trader = await opened(held, http, TRADER)
            assert trader.status_code == 200
            admin = await http.get(EVENTS, headers=ADMIN)
            assert limits.streams.open == 3
        for _ in range(500):  # every stream closed: the server notices and gives slots back
            if limits.streams.open == 0:
                break
            await asyncio.sleep(0.01)
        assert limits.streams.open == 0
        async with AsyncExitStack() as again:
            reopened = [await opened(again, http, h) for h in (READER, READER, ADMIN)]
            assert [r.status_code for r in reopened] == [200, 200, 200]

    assert third.status_code == 429 and third.headers["content-type"] == PROBLEM
    assert third.json()["limit"] == "streams_per_key" and third.headers["retry-after"] == "5"
    assert admin.status_code == 429 and admin.json()["limit"] == "streams_per_process"
