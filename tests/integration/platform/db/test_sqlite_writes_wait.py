"""On SQLite (the embedded default), a person's write waits its turn instead of losing to the
scheduler: `POST /portfolio/add-symbol` made while a scoring run and another job are writing
succeeds, both while the run fetches (its market data is committed step by step, so it holds no
lock then) and while the run records itself (the write waits its turn on the one writer).

The writer's holds of every transaction are measured (`follow_write_turns`) and printed; the
test asserts outcomes, not durations. The busy timeout is a setting, in seconds."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import event
from sqlalchemy.engine import Connection

from app.main import create_app
from app.platform.core.environment import Environment
from app.platform.db.engine import create_engine
from app.platform.db.sqlite_writer import WriteTurn, follow_write_turns
from app.state import AppState
from tests.conftest import ADMIN_KEY, start_app
from tests.integration.committed import BASE, TRADE
from tests.kucoin_sim.app import KucoinSimulator

ADMIN = {"X-API-Key": ADMIN_KEY}
BOOKS = "/api/v1/level2"  # the order books, fetched by every run while it holds no lock


async def add(api: httpx.AsyncClient, symbol: str) -> httpx.Response:
    return await api.post(f"{BASE}/portfolio/add-symbol", json={"symbol": symbol}, headers=TRADE)


async def until(condition: Callable[[], bool], what: str) -> None:
    for _ in range(2400):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never: {what}")


async def job_run(api: httpx.AsyncClient, location: str) -> dict[str, Any]:
    for _ in range(2400):
        run = dict((await api.get(location, headers=ADMIN)).json())
        if run["status"] != "running":
            return run
        await asyncio.sleep(0.05)
    raise AssertionError(f"{location} did not end")


async def test_an_add_symbol_during_a_scoring_run_and_a_job_succeeds(
    committed_sqlite: str, live_sim: KucoinSimulator, make_environment: Callable[..., Environment]
) -> None:
    environment = make_environment(
        committed_sqlite, kucoin={"futures_url": live_sim.base_url, "websocket_enabled": False}
    )
    app = create_app(environment)
    async for api in start_app(app):
        await writes_beside_the_scheduler(api, app.state.app_state, live_sim)


async def writes_beside_the_scheduler(
    api: httpx.AsyncClient, state: AppState, sim: KucoinSimulator
) -> None:
    first = await api.post(f"{BASE}/scoring/calculate?wait=60", headers=TRADE)
    assert first.status_code == 200, first.text
    ranked = await api.get(f"{BASE}/scoring/rankings", params={"limit": 5}, headers=TRADE)
    symbols = [item["symbol"] for item in ranked.json()["items"]]
    holds: list[WriteTurn] = []
    follow_write_turns(state.engine, holds.append)
    recording = asyncio.Event()

    @event.listens_for(state.engine.sync_engine, "after_cursor_execute")
    def seen(conn: Connection, _c: Any, statement: str, *_: Any) -> None:
        if statement.startswith("INSERT INTO scoring_run"):
            recording.set()  # the run's own record: its transaction holds the lock now

    slow = sim.faults.set("slow", seconds=0.5, path=BOOKS)
    scoring = await api.post(f"{BASE}/scoring/calculate", headers=TRADE)
    job = await api.post(f"{BASE}/jobs/universe_sync/run", headers=ADMIN)
    assert scoring.status_code == 202 and job.status_code in (200, 202), scoring.text + job.text

    await until(lambda: slow.hits > 0, "the scoring run fetches the books")
    while_fetching = await add(api, symbols[0])
    sim.faults.clear("slow")
    await asyncio.wait_for(recording.wait(), 120)
    while_recording = await add(api, symbols[1])

    assert while_fetching.status_code == 200, while_fetching.text
    assert while_recording.status_code == 200, while_recording.text
    runs = [await job_run(api, f"{BASE}/jobs/runs/{r.json()['id']}") for r in (scoring, job)]
    assert [r["status"] for r in runs] == ["succeeded", "succeeded"], runs
    members = (await api.get(f"{BASE}/portfolio", headers=TRADE)).json()["members"]
    assert {m["symbol"] for m in members} == {symbols[0], symbols[1]}
    longest = max(holds, key=lambda h: h.seconds)
    print(
        f"\n{len(holds)} write transactions; the longest held the writer "
        f"{longest.seconds * 1000:.0f} ms (first statement: {longest.first_statement[:60]})"
    )


async def test_the_busy_timeout_is_the_setting_in_seconds(
    committed_sqlite: str, make_environment: Callable[..., Environment]
) -> None:
    for setting, expected_ms in ((None, 5000), (2.5, 2500)):
        database = {} if setting is None else {"sqlite_busy_timeout_s": setting}
        engine = create_engine(make_environment(committed_sqlite, database=database))
        try:
            async with engine.connect() as connection:
                busy = await connection.exec_driver_sql("PRAGMA busy_timeout")
                assert busy.scalar() == expected_ms
        finally:
            await engine.dispose()
