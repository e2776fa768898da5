"""Acknowledged means committed, on SQLite too: the service, as deployed (uvicorn), is killed
with SIGKILL while keyed writes stream in. After a restart on the same file, every write it had
answered 201 is there once; every write is retried with its `Idempotency-Key`, and none is
applied twice (one cut off mid-flight is either replayed, run now, or still claimed)."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import httpx
from sqlalchemy import func, select

from app.platform.core.environment import Environment
from app.platform.db.engine import create_engine
from app.signals.models import Signal
from tests.databases import migrated_sqlite_url
from tests.deployed import API, process, service_env, uvicorn, wait_for
from tests.sim_fixtures import free_port

ADMIN_KEY = "sigkill-admin-key-0123456789"
TRADE_KEY = "sigkill-trade-key-0123456789"
SENDERS = 4
ACKNOWLEDGED_BEFORE_KILL = 60
SIGNAL = {"signal_type": "MOMENTUM", "direction": "BUY", "strength": 0.5, "confidence": 0.5}


async def send_signal(client: httpx.AsyncClient, key: str) -> httpx.Response:
    """The signal named `key`, sent with `key` as its `Idempotency-Key`."""
    body = {**SIGNAL, "source": key}
    return await client.post("/signals", json=body, headers={"Idempotency-Key": key})


async def test_a_sigkill_loses_no_acknowledged_write_and_applies_no_retry_twice(
    tmp_path: Path,
) -> None:
    database = await migrated_sqlite_url(tmp_path)
    env = service_env(
        database, 9, ADMIN_KEY, MYSYMBOLS_API_KEYS=f"admin:{ADMIN_KEY},trade:{TRADE_KEY}"
    )
    log = tmp_path / "service.log"
    sent: list[str] = []
    acknowledged: set[str] = set()
    port = free_port()
    base = f"http://127.0.0.1:{port}{API}"
    headers = {"X-API-Key": TRADE_KEY}
    enough = asyncio.Event()
    with process(uvicorn("app.main:app", port), env, None, log) as service:
        await asyncio.to_thread(wait_for, f"{base}/health", 120)
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:

            async def send(sender: int) -> None:
                for n in range(100_000):
                    key = f"s{sender}-{n}"
                    sent.append(key)
                    try:
                        answer = await send_signal(client, key)
                    except httpx.HTTPError:  # the process is gone
                        return
                    assert answer.status_code == 201, answer.text
                    acknowledged.add(key)
                    if len(acknowledged) >= ACKNOWLEDGED_BEFORE_KILL:
                        enough.set()

            senders = [asyncio.create_task(send(i)) for i in range(SENDERS)]
            await asyncio.wait_for(enough.wait(), 120)
            os.kill(service.pid, signal.SIGKILL)
            await asyncio.gather(*senders)
    assert not log.read_text().count("Traceback"), log.read_text()[-3000:]

    with process(uvicorn("app.main:app", port), env, None, log):
        await asyncio.to_thread(wait_for, f"{base}/health", 120)
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
            retried = {key: await send_signal(client, key) for key in sent}

    engine = create_engine(Environment.model_validate({"database_url": database}))
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                select(Signal.source, func.count()).group_by(Signal.source)
            )
            stored = dict(rows.all())
    finally:
        await engine.dispose()
    assert all(stored.get(key) == 1 for key in acknowledged), "an acknowledged write was lost"
    assert set(stored.values()) == {1}, "a retried write was applied twice"
    for key, answer in retried.items():
        if key in acknowledged:
            assert answer.status_code == 201 and answer.headers["idempotent-replayed"] == "true"
        elif answer.status_code == 201:  # run now, or its first answer committed at the kill
            assert stored.get(key) == 1
        else:  # claimed by the killed process, never completed: nothing of it stored
            assert answer.status_code == 409, answer.text
            assert answer.json()["type"].endswith("idempotency-key-in-progress")
            assert key not in stored
    print(
        f"\n{len(acknowledged)} acknowledged before the kill, {len(sent)} sent, "
        f"{len(stored)} stored"
    )
