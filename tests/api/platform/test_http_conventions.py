"""HTTP's own conventions: `HEAD` answers wherever `GET` does, with the GET's status and head
and no body (the probes, a cached read, a 404, the event stream, over a real server too), and
is limited as a read; a path off by a slash is a 404, never a redirect to the request's Host."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.core.environment import Environment
from app.platform.core.paths import API_PREFIX, LIVENESS, READINESS
from app.platform.http.rate_limit import CallerLimits
from tests.api.platform.test_caller_limits import SLOW, clients, limited_app
from tests.conftest import READ_KEY, TRADE_KEY, app_on_session, start_app
from tests.helpers import assert_problem
from tests.integration.platform.events.test_event_stream import serve

READER, TRADER = {"X-API-Key": READ_KEY}, {"X-API-Key": TRADE_KEY}
EVENTS = f"{API_PREFIX}/events"
SYMBOLS = f"{API_PREFIX}/symbols"
PER_REQUEST = {"x-request-id", "date", "content-length"}  # each answer's own


def head_of(response: httpx.Response) -> dict[str, str]:
    """The answer's headers, but those every answer has its own of."""
    return {k: v for k, v in response.headers.items() if k not in PER_REQUEST}


def assert_same_head(head: httpx.Response, get: httpx.Response, *, slack: int = 0) -> None:
    """`head` is `get`'s answer without its body: its status, its headers, its length (give or
    take `slack` bytes of a value that changed between the two)."""
    assert head.status_code == get.status_code
    assert head.content == b""
    assert abs(int(head.headers["content-length"]) - len(get.content)) <= slack
    assert head_of(head) == head_of(get)


@pytest.fixture
async def cached_client(
    database_url: str, make_environment: Callable[..., Environment], session: AsyncSession
) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its response cache on."""
    environment = make_environment(database_url, reads={"cache_ttl_s": 60})
    async for client in start_app(app_on_session(environment, session)):
        yield client


async def cached_get(client: httpx.AsyncClient, path: str) -> httpx.Response:
    """A read answered from the cache (on PostgreSQL, it serves once its listener is up)."""
    for _ in range(500):
        answer = await client.get(path, headers=READER)
        if answer.headers.get("x-cache") == "hit":
            return answer
        await asyncio.sleep(0.01)
    raise AssertionError(f"{path} was never answered from the cache")


class TestHead:
    async def test_liveness_answers_head_as_it_answers_get(self, client: httpx.AsyncClient) -> None:
        get = await client.get(LIVENESS)
        head = await client.head(LIVENESS)
        assert get.status_code == 200
        assert_same_head(head, get, slack=3)  # the uptime's digits

    async def test_readiness_answers_head_as_it_answers_get(
        self, client: httpx.AsyncClient
    ) -> None:
        get = await client.get(READINESS)
        head = await client.head(READINESS)
        assert get.json() == {"status": "ready", "ready": True}
        assert_same_head(head, get)

    async def test_a_404_is_a_404_without_its_body(self, client: httpx.AsyncClient) -> None:
        get = await client.get(f"{SYMBOLS}/NOSUCHUSDT", headers=READER)
        head = await client.head(f"{SYMBOLS}/NOSUCHUSDT", headers=READER)
        assert_problem(get, 404, "not-found")
        assert_same_head(head, get)

    async def test_a_cached_read_is_answered_from_the_cache(
        self, cached_client: httpx.AsyncClient
    ) -> None:
        get = await cached_get(cached_client, SYMBOLS)
        head = await cached_client.head(SYMBOLS, headers=READER)
        assert (head.status_code, head.headers["x-cache"]) == (200, "hit")
        assert_same_head(head, get)

    async def test_a_head_computing_a_read_keeps_the_whole_answer_for_a_get(
        self, cached_client: httpx.AsyncClient
    ) -> None:
        await cached_get(cached_client, SYMBOLS)  # the cache is serving
        head = await cached_client.head(SYMBOLS, params={"limit": 5}, headers=READER)
        get = await cached_client.get(SYMBOLS, params={"limit": 5}, headers=READER)
        assert "x-cache" not in head.headers
        assert (get.status_code, get.headers["x-cache"]) == (200, "hit")
        assert get.json()["limit"] == 5  # the whole answer kept, not the HEAD's empty one
        assert (head.status_code, head.content) == (200, b"")
        assert head.headers["content-length"] == str(len(get.content))

    async def test_the_event_stream_answers_its_head_and_ends(
        self, app: FastAPI, client: httpx.AsyncClient
    ) -> None:
        head = await asyncio.wait_for(client.head(EVENTS, headers=READER), timeout=10)
        assert (head.status_code, head.content) == (200, b"")
        assert head.headers["content-type"].startswith("text/event-stream")
        assert head.headers["cache-control"] == "no-cache"
        assert app.state.caller_limits.streams.open == 0  # the stream is over: its slot is back

    async def test_head_spends_a_read_token_as_get_does(
        self, database_url: str, make_environment: Callable[..., Environment], session: AsyncSession
    ) -> None:
        app = limited_app(database_url, make_environment, session, read_burst=2, read_per_s=SLOW)
        async with clients(app, "10.0.0.2") as (api,):
            served = [(await api.head(SYMBOLS, headers=READER)).status_code for _ in range(2)]
            refused_get = await api.get(SYMBOLS, headers=READER)
            refused_head = await api.head(SYMBOLS, headers=READER)
        assert served == [200, 200]
        assert_problem(refused_get, 429, "rate-limited")
        assert (refused_head.status_code, refused_head.content) == (429, b"")
        assert refused_head.headers["retry-after"] == refused_get.headers["retry-after"]


class TestHeadOverRealHttp:
    """uvicorn keeps a HEAD's connection open after the head: nothing tells the stream that
    no one reads it but the protection layer."""

    async def test_the_event_stream_ends_at_once_and_the_connection_serves_on(
        self, app: FastAPI
    ) -> None:
        async with (
            serve(app) as url,
            httpx.AsyncClient(base_url=url, timeout=5) as http,
        ):
            head = await http.head(EVENTS, headers=READER)
            limits: CallerLimits = app.state.caller_limits
            for _ in range(200):  # the route's end: its slot given back
                if limits.streams.open == 0:
                    break
                await asyncio.sleep(0.01)
            health = await http.get(LIVENESS)  # on the same kept-alive connection
            health_head = await http.head(LIVENESS)
        assert (head.status_code, head.content) == (200, b"")
        assert head.headers["content-type"].startswith("text/event-stream")
        assert limits.streams.open == 0
        assert health.status_code == 200
        assert_same_head(health_head, health, slack=3)


class TestTrailingSlash:
    async def test_a_slash_too_many_is_404_and_names_no_host(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.post(
            f"{API_PREFIX}/portfolio/add-symbol/",
            json={"symbol": "BTCUSDT"},
            headers={**TRADER, "Host": "evil.example"},
        )
        assert_problem(response, 404, "not-found")
        assert "location" not in response.headers
        members = await client.get(f"{API_PREFIX}/portfolio", headers=READER)
        assert members.status_code == 200 and "BTCUSDT" not in members.text

    async def test_a_missing_slash_is_404_too(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/docs-assets", headers={"Host": "evil.example"})
        assert response.status_code == 404
        assert "location" not in response.headers
