"""On SQLite, a write made with a key created through the API takes its turn: it is not refused
as busy. The request's session reads the key's row first, and another connection commits (the
`Idempotency-Key` claim, the key's use) before the request's own first write; on a reader's
snapshot that write was refused at once (`database is locked`, a 503 `busy` every time)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
from sqlalchemy import func, select

from app.main import create_app
from app.platform.core.environment import Environment
from app.platform.db.engine import create_engine
from app.signals.models import Signal
from tests.conftest import ADMIN_KEY, start_app
from tests.integration.committed import BASE

SIGNAL = {
    "source": "bot",
    "signal_type": "MOMENTUM",
    "direction": "BUY",
    "strength": 0.5,
    "confidence": 0.5,
}


async def created_trade_key(api: httpx.AsyncClient) -> dict[str, str]:
    """The header of a `trade` key created through the API (stored, unlike a bootstrap key)."""
    created = await api.post(
        f"{BASE}/api-keys",
        json={"name": "engine", "role": "trade"},
        headers={"X-API-Key": ADMIN_KEY},
    )
    assert created.status_code == 201, created.text
    return {"X-API-Key": created.json()["key"]}


async def test_idempotent_writes_with_an_api_created_key_succeed(
    committed_sqlite: str, make_environment: Callable[..., Environment]
) -> None:
    environment = make_environment(committed_sqlite)
    async for api in start_app(create_app(environment)):
        key = await created_trade_key(api)
        for n in range(6):
            headers = {**key, "Idempotency-Key": f"signal-{n}"}
            answer = await api.post(f"{BASE}/signals", json=SIGNAL, headers=headers)
            assert answer.status_code == 201, (n, answer.status_code, answer.text)
            replayed = await api.post(f"{BASE}/signals", json=SIGNAL, headers=headers)
            assert replayed.status_code == 201, replayed.text
            assert replayed.headers["idempotent-replayed"] == "true"
    engine = create_engine(environment)
    try:
        async with engine.connect() as connection:
            stored = await connection.scalar(select(func.count()).select_from(Signal))
        assert stored == 6
    finally:
        await engine.dispose()


async def test_parallel_keyed_writes_with_an_api_created_key_all_succeed(
    committed_sqlite: str, make_environment: Callable[..., Environment]
) -> None:
    """Ten at once, each with its own key: each waits its turn on the one writer (8 of 10 were
    a 503 `busy`)."""
    environment = make_environment(committed_sqlite)
    async for api in start_app(create_app(environment)):
        key = await created_trade_key(api)
        answers = await asyncio.gather(
            *(
                api.post(
                    f"{BASE}/signals",
                    json={**SIGNAL, "source": f"bot-{n}"},
                    headers={**key, "Idempotency-Key": f"parallel-{n}"},
                )
                for n in range(10)
            )
        )
        assert [a.status_code for a in answers] == [201] * 10, [a.text for a in answers]
    engine = create_engine(environment)
    try:
        async with engine.connect() as connection:
            sources = set((await connection.scalars(select(Signal.source))).all())
        assert sources == {f"bot-{n}" for n in range(10)}
    finally:
        await engine.dispose()
