"""`Idempotency-Key`'s error scenarios (draft-ietf-httpapi-idempotency-key-header-07), on both
databases, through `POST /signals`: another body under a used key is 422 and changes nothing; a
retry while the first request still runs is 409 with `Retry-After`; a retry after it replays."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from app.callers.models import IdempotencyKey
from app.main import create_app
from app.platform.core.environment import Environment
from app.platform.core.headers import IDEMPOTENCY_KEY_HELP
from app.platform.db.engine import create_engine
from app.signals.models import Signal
from app.signals.schemas import SignalCreate
from app.signals.service import SignalService
from tests.conftest import start_app
from tests.helpers import assert_problem
from tests.integration.committed import BASE, TRADE

SIGNALS = f"{BASE}/signals"
SIGNAL = {
    "source": "bot",
    "signal_type": "MOMENTUM",
    "direction": "BUY",
    "strength": 0.5,
    "confidence": 0.5,
}


@pytest.fixture(params=["postgres", "sqlite"])
def database(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"committed_{request.param}"))


@pytest.fixture
async def api(
    database: str, make_environment: Callable[..., Environment]
) -> AsyncIterator[httpx.AsyncClient]:
    async for client in start_app(create_app(make_environment(database))):
        yield client


async def post(api: httpx.AsyncClient, key: str, body: dict[str, object]) -> httpx.Response:
    return await api.post(SIGNALS, json=body, headers={**TRADE, "Idempotency-Key": key})


async def stored(
    database: str, make_environment: Callable[..., Environment]
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every signal row and every idempotency row, as tuples."""
    engine = create_engine(make_environment(database))
    try:
        async with engine.connect() as connection:
            signals = (await connection.execute(select(Signal.__table__))).all()
            keys = (await connection.execute(select(IdempotencyKey.__table__))).all()
    finally:
        await engine.dispose()
    return [tuple(row) for row in signals], [tuple(row) for row in keys]


class TestReusedKey:
    async def test_another_body_is_422_and_changes_nothing(
        self, api: httpx.AsyncClient, database: str, make_environment: Callable[..., Environment]
    ) -> None:
        assert (await post(api, "signal-1", SIGNAL)).status_code == 201
        before = await stored(database, make_environment)
        other = await post(api, "signal-1", {**SIGNAL, "direction": "SELL"})
        body = assert_problem(other, 422, "idempotency-key-reused")
        assert "different request" in str(body["detail"])
        assert "idempotent-replayed" not in other.headers
        assert await stored(database, make_environment) == before
        assert len(before[0]) == len(before[1]) == 1


class TestInFlight:
    async def test_a_retry_while_the_first_runs_is_409_with_retry_after(
        self, api: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        entered, release = asyncio.Event(), asyncio.Event()
        create = SignalService.create

        async def held(self: SignalService, body: SignalCreate) -> Signal:
            entered.set()  # the key is claimed (committed) before the work starts
            await release.wait()
            return await create(self, body)

        monkeypatch.setattr(SignalService, "create", held)
        first = asyncio.create_task(post(api, "signal-1", SIGNAL))
        await asyncio.wait_for(entered.wait(), 30)
        retry = await post(api, "signal-1", SIGNAL)
        release.set()
        answered = await first
        assert_problem(retry, 409, "idempotency-key-in-progress")
        assert retry.headers["retry-after"] == "1"
        assert answered.status_code == 201, answered.text
        # Once the first has answered, the retry the client was told to make replays it.
        again = await post(api, "signal-1", SIGNAL)
        assert again.content == answered.content and again.headers["idempotent-replayed"] == "true"


class TestReplay:
    async def test_the_same_body_after_completion_replays_the_stored_answer(
        self, api: httpx.AsyncClient, database: str, make_environment: Callable[..., Environment]
    ) -> None:
        first = await post(api, "signal-1", SIGNAL)
        again = await post(api, "signal-1", SIGNAL)
        assert first.status_code == again.status_code == 201
        assert again.content == first.content
        assert again.headers["idempotent-replayed"] == "true"
        assert again.headers["content-type"] == "application/json"
        signals, _ = await stored(database, make_environment)
        assert len(signals) == 1


class TestKeyText:
    @pytest.mark.parametrize(
        "key", ["€".encode(), b"a\x01b", b"caf\xe9"], ids=["utf-8", "control", "latin-1"]
    )
    async def test_a_key_beyond_printable_ascii_is_422_in_words_and_stores_nothing(
        self,
        api: httpx.AsyncClient,
        database: str,
        make_environment: Callable[..., Environment],
        key: bytes,
    ) -> None:
        """The server reads header bytes as latin-1: stored, such a key would be text no client
        wrote. The draft's key is printable ASCII, and the refusal says so."""
        before = await stored(database, make_environment)
        refused = await api.post(SIGNALS, json=SIGNAL, headers={**TRADE, "Idempotency-Key": key})
        body = assert_problem(refused, 422, "validation-error")
        assert body["detail"] == f"Idempotency-Key: {IDEMPOTENCY_KEY_HELP}"
        assert [e["message"] for e in body["errors"]] == [IDEMPOTENCY_KEY_HELP]  # not a regex
        assert await stored(database, make_environment) == before
        # A key of printable ASCII, spaces and punctuation included, is taken.
        assert (await post(api, "order 7: retry-safe/ok", SIGNAL)).status_code == 201
