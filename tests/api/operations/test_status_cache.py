"""The anonymous `/status` asks the database at most once a second however many ask, counted
by the statements the engine executes; with a key, every call is computed."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from fastapi import FastAPI
from sqlalchemy import event

from tests.conftest import READ_KEY

STATUS = "/api/symbol-mgmt/status"


@contextmanager
def probes(app: FastAPI) -> Iterator[list[str]]:
    """The readiness probes the app's engine runs meanwhile (one `alembic_version` read each)."""
    seen: list[str] = []
    engine = app.state.app_state.engine.sync_engine

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        if "alembic_version" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def test_the_database_is_asked_at_most_once_a_second(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    with probes(app) as seen:
        started = time.monotonic()
        together = await asyncio.gather(*(client.get(STATUS) for _ in range(50)))
        one_by_one = [await client.get(STATUS) for _ in range(50)]
        elapsed = time.monotonic() - started
    answers = together + one_by_one
    assert {(r.status_code, r.text) for r in answers} == {(200, '{"status":"ready","ready":true}')}
    # One probe for the first caller, then one more per second that passed at most.
    assert 1 <= len(seen) <= 1 + int(elapsed), (len(seen), elapsed)
    print(f"\n/status: 100 anonymous calls in {elapsed:.3f} s, {len(seen)} database probe(s)")


async def test_a_second_later_it_asks_again(app: FastAPI, client: httpx.AsyncClient) -> None:
    with probes(app) as seen:
        assert (await client.get(STATUS)).status_code == 200
        await asyncio.sleep(1.1)
        assert (await client.get(STATUS)).status_code == 200
    assert len(seen) == 2


async def test_with_a_key_every_call_is_computed(app: FastAPI, client: httpx.AsyncClient) -> None:
    with probes(app) as seen:
        for _ in range(3):
            response = await client.get(STATUS, headers={"X-API-Key": READ_KEY})
            assert response.status_code == 200 and "database" in response.json()
    assert len(seen) == 3
