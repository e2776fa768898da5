"""An event stream resumed from an id past the newest event (`Last-Event-ID: 1037` when the
newest is 37, as after the database was restored from a backup) is sent, at once, a `reload`
event whose id is the newest, and the events after it as they come. Before, it received
nothing, with no error, until the outbox's ids passed the one it sent."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from app.main import create_app
from app.platform.core.environment import Environment
from app.platform.db.repositories.outbox import EventRepository
from tests.conftest import READ_KEY
from tests.integration.committed import BASE
from tests.integration.platform.events.test_event_stream import read_events, serve

READ = {"X-API-Key": READ_KEY}
AHEAD = 1000


async def append(url: str, count: int) -> int:
    """`count` alert events committed; the newest's id."""
    engine = create_async_engine(url)
    try:
        async with async_sessionmaker(engine)() as session:
            events = EventRepository(session)
            for n in range(count):
                await events.append("alert", {"n": n})
            await session.commit()
            return await events.latest_id()
    finally:
        await engine.dispose()


@pytest.fixture(params=["committed_postgres", "committed_sqlite"])
def committed(request: pytest.FixtureRequest) -> str:
    """A database of each backend, its writes committed."""
    return str(request.getfixturevalue(request.param))


async def test_a_stream_resumed_past_the_newest_event_is_told_to_reload(
    committed: str, make_environment: Callable[..., Environment]
) -> None:
    url = committed
    newest = await append(url, 3)
    environment = make_environment(url, events={"heartbeat_s": 5.0, "poll_s": 0.1})
    headers = {**READ, "Last-Event-ID": str(newest + AHEAD)}
    async with (
        serve(create_app(environment)) as origin,
        httpx.AsyncClient(base_url=origin, timeout=10) as http,
        http.stream("GET", f"{BASE}/events", headers=headers) as stream,
    ):
        lines = stream.aiter_lines()
        [(event_id, kind, data)] = (await read_events(lines, 1, timeout_s=3.0))[0]
        assert (event_id, kind) == (newest, "reload")
        assert (data["newest_id"], data["resumed_from"]) == (newest, newest + AHEAD)
        assert "read the state afresh" in str(data["detail"])
        following = await append(url, 1)
        [(next_id, next_kind, _)] = (await read_events(lines, 1))[0]
    assert (next_id, next_kind) == (following, "alert") and following == newest + 1


async def test_a_stream_resumed_within_the_events_is_sent_no_reload(
    committed_sqlite: str, make_environment: Callable[..., Environment]
) -> None:
    newest = await append(committed_sqlite, 3)
    environment = make_environment(committed_sqlite, events={"heartbeat_s": 5.0, "poll_s": 0.1})
    headers = {**READ, "Last-Event-ID": str(newest - 1)}
    async with (
        serve(create_app(environment)) as origin,
        httpx.AsyncClient(base_url=origin, timeout=10) as http,
        http.stream("GET", f"{BASE}/events", headers=headers) as stream,
    ):
        [(event_id, kind, _)] = (await read_events(stream.aiter_lines(), 1, timeout_s=3.0))[0]
    assert (event_id, kind) == (newest, "alert")
