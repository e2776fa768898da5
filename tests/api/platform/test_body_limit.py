"""The request body limit (`limits.max_body_bytes`): a body of the limit is served as any other,
one byte more is a 413 problem, declared or streamed, and changes nothing; map inputs are
bounded before their entries are validated, so a huge invalid map is a short 422."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.core.environment import Environment
from app.platform.schemas.bounds import MAX_POSITIONS
from app.signals.models import Signal
from tests.conftest import TRADE_KEY, app_on_session, start_app
from tests.helpers import assert_problem
from tests.prometheus import sample

API = "/api/symbol-mgmt"
SIGNALS = f"{API}/signals"
REBALANCE = f"{API}/portfolio/rebalance"
TRADE = {"X-API-Key": TRADE_KEY, "Content-Type": "application/json"}
DEFAULT_LIMIT = 256 * 1024
COUNTER = "mysymbols_http_requests_total"


def signal_of_size(size: int) -> bytes:
    """A valid signal whose JSON body is exactly `size` bytes: JSON's own whitespace pads it
    (a payload may not: it is capped far below the body limit)."""
    signal: dict[str, Any] = {
        "source": "limit-probe",
        "signal_type": "PROBE",
        "direction": "BUY",
        "strength": 0.5,
        "confidence": 0.5,
        "payload": {"note": "padded"},
    }
    body = json.dumps(signal).encode()
    body = body[:-1] + b" " * (size - len(body)) + b"}"
    assert len(body) == size
    return body


async def in_chunks(body: bytes, size: int = 16 * 1024) -> AsyncIterator[bytes]:
    """`body` streamed: sent chunked, with no Content-Length."""
    for start in range(0, len(body), size):
        yield body[start : start + size]


async def signals(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Signal)) or 0)


async def post(client: httpx.AsyncClient, body: bytes, sent: str) -> httpx.Response:
    """POST `body` to /signals with its Content-Length (`declared`) or chunked (`streamed`)."""
    content = body if sent == "declared" else in_chunks(body)
    response = await client.post(SIGNALS, content=content, headers=TRADE)
    assert ("content-length" in response.request.headers) is (sent == "declared")
    return response


@pytest.mark.parametrize("sent", ["declared", "streamed"])
class TestTheDefaultLimit:
    async def test_a_body_of_the_limit_is_served(
        self, client: httpx.AsyncClient, session: AsyncSession, sent: str
    ) -> None:
        response = await post(client, signal_of_size(DEFAULT_LIMIT), sent)
        assert response.status_code == 201, response.text[:500]
        assert await signals(session) == 1

    async def test_a_byte_more_is_413_and_changes_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession, sent: str
    ) -> None:
        response = await post(client, signal_of_size(DEFAULT_LIMIT + 1), sent)
        body = assert_problem(response, 413, "content-too-large")
        assert body["max_body_bytes"] == DEFAULT_LIMIT
        assert str(DEFAULT_LIMIT) in str(body["detail"])
        assert response.headers["connection"] == "close"
        assert await signals(session) == 0


class TestTheVariable:
    @pytest.fixture
    async def small(
        self, database_url: str, make_environment: Callable[..., Environment], session: AsyncSession
    ) -> AsyncIterator[httpx.AsyncClient]:
        environment = make_environment(database_url, limits={"max_body_bytes": 1024})
        async for client in start_app(app_on_session(environment, session)):
            yield client

    async def test_sets_the_limit(self, small: httpx.AsyncClient, session: AsyncSession) -> None:
        assert (await post(small, signal_of_size(1024), "declared")).status_code == 201
        over = await post(small, signal_of_size(1025), "streamed")
        assert assert_problem(over, 413, "content-too-large")["max_body_bytes"] == 1024
        assert await signals(session) == 1

    async def test_a_413_is_counted_in_the_metrics(self, small: httpx.AsyncClient) -> None:
        # Refused before routing: the path's template is not known yet on a fresh app.
        labels = {"method": "POST", "route": "unmatched", "status": "413"}
        before = sample((await small.get("/metrics", headers=TRADE)).text, COUNTER, **labels)
        await post(small, signal_of_size(1025), "declared")
        after = sample((await small.get("/metrics", headers=TRADE)).text, COUNTER, **labels)
        assert after == (before or 0) + 1


class TestBoundedMaps:
    async def test_a_huge_invalid_positions_map_is_a_short_422(
        self, client: httpx.AsyncClient
    ) -> None:
        # 20 000 entries, each a value that is no number: within the body limit, and once a
        # 422 listing 20 000 errors (some 2 MB), after validating every one of them.
        positions = {f"{i:05d}": "x" for i in range(20_000)}
        body = json.dumps({"dry_run": True, "positions": positions}, separators=(",", ":"))
        assert len(body) < DEFAULT_LIMIT
        response = await client.post(REBALANCE, content=body.encode(), headers=TRADE)
        problem = assert_problem(response, 422, "validation-error")
        assert problem["errors"] == [
            {
                "field": "positions",
                "location": "body",
                "message": f"should have at most {MAX_POSITIONS} entries, not 20000",
                "code": "too_long",
            }
        ]
        assert len(response.content) < 1024

    async def test_a_full_positions_map_is_validated_entry_by_entry(
        self, client: httpx.AsyncClient
    ) -> None:
        positions = {f"{i:02d}": "x" for i in range(10, 10 + MAX_POSITIONS)}
        response = await client.post(
            REBALANCE, json={"dry_run": True, "positions": positions}, headers=TRADE
        )
        problem = assert_problem(response, 422, "validation-error")
        errors = problem["errors"]
        assert isinstance(errors, list) and len(errors) == 20
        assert {error["code"] for error in errors} == {
            "int_type"
        }  # text for a lot count: the wrong JSON type
        assert problem["errors_not_listed"] == MAX_POSITIONS - 20
