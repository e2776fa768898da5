"""Who is calling, first: a request presenting different API keys (`X-API-Key` twice, or a key
there and another as `Authorization: Bearer`) is a 400 saying to send one, where before the
first of each header counted and `X-API-Key` won (trade then read: 201 on a trade route; read
then trade: 403), and the response cache serves it nothing. The same key sent twice is that key.
On a route that takes a body the key and its role are checked before the body is read: a
malformed or encoded body without a key is a 401 (it was a 422), with too low a role a 403, and
a body that never comes is not waited for. The OpenAPI document declares the 400 on every
operation that reads a key."""

from __future__ import annotations

import asyncio
import gzip
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.types import Message

from app.callers.models import ApiKey
from app.signals.models import Signal
from tests.api.asgi_calls import http_scope
from tests.api.platform.test_http_conventions import cached_client, cached_get  # noqa: F401
from tests.conftest import ADMIN_KEY, READ_KEY, TRADE_KEY
from tests.helpers import assert_problem

API = "/api/symbol-mgmt"
SIGNALS = f"{API}/signals"
PENDING = f"{API}/signals/pending"
SIGNAL = {
    "source": "credentials-probe",
    "signal_type": "PROBE",
    "direction": "BUY",
    "strength": 0.5,
    "confidence": 0.5,
}
MALFORMED = b'{"source": "credentials-probe", "direction": '
JSON_TYPE = (b"content-type", b"application/json")


def keys(*pairs: tuple[str, str]) -> list[tuple[bytes, bytes]]:
    """Header lines as sent, repeated names kept."""
    return [(name.lower().encode(), value.encode()) for name, value in pairs]


async def signals(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Signal)) or 0)


class TestDifferentKeys:
    @pytest.mark.parametrize(
        "first, second", [(TRADE_KEY, READ_KEY), (READ_KEY, TRADE_KEY)], ids=["trade", "read"]
    )
    async def test_two_x_api_key_headers_with_different_keys_are_a_400(
        self, client: httpx.AsyncClient, session: AsyncSession, first: str, second: str
    ) -> None:
        """Before: the first counted (201 with trade first, 403 with read first)."""
        headers = keys(("X-API-Key", first), ("X-API-Key", second))
        response = await client.post(SIGNALS, json=SIGNAL, headers=headers)
        problem = assert_problem(response, 400, "conflicting-credentials")
        assert problem["sent_in"] == ["X-API-Key"]
        assert "Send one key: send one `X-API-Key` header" in str(problem["detail"])
        assert await signals(session) == 0

    async def test_a_key_and_a_different_bearer_token_are_a_400(
        self, client: httpx.AsyncClient
    ) -> None:
        """Before: X-API-Key won, silently (200)."""
        headers = keys(("X-API-Key", READ_KEY), ("Authorization", f"Bearer {TRADE_KEY}"))
        response = await client.get(PENDING, headers=headers)
        problem = assert_problem(response, 400, "conflicting-credentials")
        assert problem["sent_in"] == ["X-API-Key", "Authorization: Bearer"]
        assert "send it in one of them (or the same key in both)" in str(problem["detail"])
        assert READ_KEY not in response.text and TRADE_KEY not in response.text

    @pytest.mark.parametrize(
        "sent",
        [
            [("X-API-Key", TRADE_KEY), ("X-API-Key", TRADE_KEY)],
            [("X-API-Key", TRADE_KEY), ("Authorization", f"Bearer {TRADE_KEY}")],
        ],
        ids=["X-API-Key twice", "X-API-Key and Bearer"],
    )
    async def test_the_same_key_sent_twice_is_that_key(
        self, client: httpx.AsyncClient, sent: list[tuple[str, str]]
    ) -> None:
        response = await client.post(SIGNALS, json=SIGNAL, headers=keys(*sent))
        assert response.status_code == 201, response.text

    async def test_they_are_refused_before_the_body_is_read(
        self, client: httpx.AsyncClient
    ) -> None:
        """Before: the malformed body's 422."""
        headers = [*keys(("X-API-Key", TRADE_KEY), ("X-API-Key", ADMIN_KEY)), JSON_TYPE]
        response = await client.post(SIGNALS, content=MALFORMED, headers=headers)
        assert_problem(response, 400, "conflicting-credentials")

    async def test_a_cached_read_is_never_served_to_them(
        self,
        cached_client: httpx.AsyncClient,  # noqa: F811
    ) -> None:
        """Before: the answer kept for the first key was served (`X-Cache: hit`)."""
        await cached_get(cached_client, PENDING)
        headers = keys(("X-API-Key", READ_KEY), ("Authorization", f"Bearer {ADMIN_KEY}"))
        response = await cached_client.get(PENDING, headers=headers)
        assert_problem(response, 400, "conflicting-credentials")
        assert "x-cache" not in response.headers


class TestKeyBeforeBody:
    async def test_a_malformed_body_without_a_key_is_401(self, client: httpx.AsyncClient) -> None:
        """Before: 422 `not a JSON document`, to anyone."""
        response = await client.post(SIGNALS, content=MALFORMED, headers=[JSON_TYPE])
        assert_problem(response, 401, "unauthenticated")

    async def test_an_encoded_body_without_a_key_is_401(self, client: httpx.AsyncClient) -> None:
        headers = [JSON_TYPE, (b"content-encoding", b"gzip")]
        response = await client.post(SIGNALS, content=gzip.compress(b"{}"), headers=headers)
        assert_problem(response, 401, "unauthenticated")

    async def test_a_malformed_body_with_too_low_a_role_is_403(
        self, client: httpx.AsyncClient
    ) -> None:
        headers = [*keys(("X-API-Key", READ_KEY)), JSON_TYPE]
        response = await client.post(SIGNALS, content=MALFORMED, headers=headers)
        problem = assert_problem(response, 403, "forbidden")
        assert (problem["required_role"], problem["key_role"]) == ("trade", "read")

    async def test_a_stored_key_is_looked_up_before_the_body_and_its_use_recorded(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        created = await client.post(
            f"{API}/api-keys", json={"name": "probe", "role": "read"}, headers=admin()
        )
        reader = [*keys(("X-API-Key", created.json()["key"])), JSON_TYPE]
        refused = await client.post(SIGNALS, content=MALFORMED, headers=reader)
        assert_problem(refused, 403, "forbidden")
        created = await client.post(
            f"{API}/api-keys", json={"name": "engine", "role": "trade"}, headers=admin()
        )
        trader = keys(("X-API-Key", created.json()["key"]))
        accepted = await client.post(SIGNALS, json=SIGNAL, headers=trader)
        assert accepted.status_code == 201, accepted.text
        stored = await session.scalar(select(ApiKey).where(ApiKey.id == created.json()["id"]))
        assert stored is not None and stored.last_used_at is not None

    async def test_a_body_that_never_comes_is_not_waited_for_without_a_key(
        self, app: FastAPI, client: httpx.AsyncClient
    ) -> None:
        """Before: the service waited for the 100 bytes announced (here, for ever)."""
        sent: list[Message] = []

        async def never() -> Message:
            await asyncio.Event().wait()
            raise AssertionError("unreachable")

        async def send(message: Message) -> None:
            sent.append(message)

        scope = http_scope("POST", SIGNALS, [JSON_TYPE, (b"content-length", b"100")])
        await asyncio.wait_for(app(scope, never, send), timeout=10)
        assert sent[0]["status"] == 401


def test_the_document_declares_400_where_an_operation_reads_a_key(
    openapi_document: dict[str, Any],
) -> None:
    undeclared = [
        f"{method.upper()} {path}"
        for path, operations in openapi_document["paths"].items()
        for method, operation in operations.items()
        if "security" in operation and "400" not in operation["responses"]
    ]
    assert undeclared == []


def admin() -> dict[str, str]:
    return {"X-API-Key": ADMIN_KEY}
