"""One outbox reader per process behind every open event stream: N streams, one read per
wake-up, every event to every stream in order; a stream whose key is revoked ends at its next
heartbeat with a final `error` event while the others go on; a stream that falls behind is ended
rather than holding up the rest."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack

import httpx
from sqlalchemy import event
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from app.main import create_app
from app.platform.core.environment import Environment
from app.platform.db.repositories.outbox import EventRepository
from app.platform.events.hub import OVERFLOWED, EventHub, StreamEnd
from app.platform.events.wakeup import EventSignal
from app.state import AppState
from tests.conftest import ADMIN_KEY, READ_KEY
from tests.integration.committed import BASE
from tests.integration.platform.events.test_event_stream import read_events, serve

READ = {"X-API-Key": READ_KEY}
ADMIN = {"X-API-Key": ADMIN_KEY}
Block = dict[str, str]


async def append(url: str, count: int, first: int = 0) -> None:
    """`count` alert events, each committed on its own, as another replica's writers would."""
    engine = create_async_engine(url)
    try:
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        for n in range(first, first + count):
            async with sessions() as session:
                await EventRepository(session).append("alert", {"n": n})
                await session.commit()
    finally:
        await engine.dispose()


async def blocks_until_end(lines: AsyncIterator[str], timeout_s: float) -> list[Block]:
    """Every SSE block (its fields) until the server ends the stream."""
    blocks: list[Block] = []
    fields: Block = {}

    async def consume() -> None:
        async for line in lines:
            if line == "":
                if fields:
                    blocks.append(dict(fields))
                fields.clear()
            else:
                name, _, value = line.partition(": ")
                fields[name] = value

    await asyncio.wait_for(consume(), timeout=timeout_s)
    return blocks


def state_of(app: object) -> AppState:
    return app.state.app_state  # type: ignore[attr-defined,no-any-return]


async def test_five_streams_are_served_by_one_outbox_reader(
    committed_postgres: str, make_environment: Callable[..., Environment]
) -> None:
    environment = make_environment(committed_postgres, events={"heartbeat_s": 5.0, "poll_s": 0.2})
    app = create_app(environment)
    statements: list[str] = []
    async with serve(app) as url, httpx.AsyncClient(base_url=url, timeout=10) as http:
        hub = state_of(app).event_hub

        @event.listens_for(state_of(app).engine.sync_engine, "before_cursor_execute")
        def record(conn: object, cursor: object, statement: str, *args: object) -> None:
            if "event_outbox" in statement:
                statements.append(statement)

        async with AsyncExitStack() as stack:
            streams = [
                await stack.enter_async_context(http.stream("GET", f"{BASE}/events", headers=READ))
                for _ in range(5)
            ]
            lines = [stream.aiter_lines() for stream in streams]
            for each in lines:
                await read_events(each, 0)  # the retry hint: its starting point is taken
            assert hub.subscribers == 5
            reads_before, statements_before = hub.reads, len(statements)

            await append(committed_postgres, 12)
            read = await asyncio.gather(*(read_events(each, 12) for each in lines))
            reads = hub.reads - reads_before
            outbox_statements = len(statements) - statements_before

    received = [events for events, _ in read]
    first_ids = [event_id for event_id, _, _ in received[0]]
    assert first_ids == sorted(first_ids) and len(set(first_ids)) == 12
    for events in received:
        assert [event_id for event_id, _, _ in events] == first_ids
        assert [payload["n"] for _, _, payload in events] == list(range(12))
    # Every outbox query in the meantime was the hub's (one may be in flight at either end),
    # not one per stream per poll as before.
    assert reads >= 1
    assert abs(outbox_statements - reads) <= 1


async def test_a_revoked_key_ends_its_stream_at_the_next_heartbeat_and_no_other(
    committed_sqlite: str, make_environment: Callable[..., Environment]
) -> None:
    heartbeat_s = 0.5
    environment = make_environment(
        committed_sqlite, events={"heartbeat_s": heartbeat_s, "poll_s": 0.1}
    )
    app = create_app(environment)
    async with serve(app) as url, httpx.AsyncClient(base_url=url, timeout=10) as http:
        created = await http.post(
            f"{BASE}/api-keys", json={"name": "dashboard", "role": "read"}, headers=ADMIN
        )
        assert created.status_code == 201
        stored = {"X-API-Key": created.json()["key"]}
        async with (
            http.stream("GET", f"{BASE}/events", headers=stored) as doomed,
            http.stream("GET", f"{BASE}/events", headers=READ) as other,
        ):
            doomed_lines, other_lines = doomed.aiter_lines(), other.aiter_lines()
            await read_events(doomed_lines, 0)
            await read_events(other_lines, 0)
            await append(committed_sqlite, 1)
            assert [p["n"] for _, _, p in (await read_events(doomed_lines, 1))[0]] == [0]

            loop = asyncio.get_running_loop()
            read_at = loop.time()
            revoked = await http.delete(f"{BASE}/api-keys/{created.json()['id']}", headers=ADMIN)
            assert revoked.status_code == 200
            revoking_s = loop.time() - read_at
            blocks = await blocks_until_end(doomed_lines, timeout_s=30.0)

            await append(committed_sqlite, 1, first=1)
            still_following, _ = await read_events(other_lines, 2)
        for _ in range(100):  # the server notices the client left, the stream unsubscribes
            if state_of(app).event_hub.subscribers == 0:
                break
            await asyncio.sleep(0.02)
        assert state_of(app).event_hub.subscribers == 0

    *before, last = blocks
    assert last["event"] == "error" and "id" not in last
    problem = json.loads(last["data"])
    assert problem["type"] == "urn:mysymbols:problem:api-key-revoked"
    assert problem["status"] == 401
    assert all(block.get("event") != "error" for block in before)
    # At the next heartbeat: no heartbeat follows the revocation, so those read before the end
    # are the beats of the time the revocation took (however long a loaded machine made it).
    beats = sum(block == {"": "heartbeat"} for block in before)
    assert beats <= 1 + revoking_s / heartbeat_s, (beats, revoking_s)
    assert [p["n"] for _, _, p in still_following] == [0, 1]


async def test_a_stream_that_falls_behind_is_ended_and_holds_up_no_other(
    committed_sqlite: str,
) -> None:
    engine = create_async_engine(committed_sqlite)
    hub = EventHub(
        async_sessionmaker(engine, expire_on_commit=False),
        EventSignal(),
        poll_s=0.05,
        stream_buffer=3,
    )
    hub.start()
    try:
        slow, fast = hub.subscribe(), hub.subscribe()
        await asyncio.wait_for(hub.live.wait(), 5)
        received: list[int] = []

        async def follow() -> None:
            while len(received) < 10:
                item = await fast.queue.get()
                assert not isinstance(item, StreamEnd)
                received.append(item.payload["n"])

        following = asyncio.create_task(follow())
        await append(committed_sqlite, 10)
        await asyncio.wait_for(following, 10)
        assert received == list(range(10))
        assert slow.queue.get_nowait() == OVERFLOWED and slow.queue.empty()
        assert hub.subscribers == 1  # the slow one is gone
    finally:
        await hub.stop()
        await engine.dispose()
