"""CORS: a browser page on an allowed origin may call the API (preflight, headers it may read);
any other origin, and every origin when none is configured, gets no CORS grant."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.core.environment import Environment
from tests.conftest import READ_KEY, app_on_session, start_app

DESK = "https://desk.example.com"
HEALTH = "/api/symbol-mgmt/health"
RANKINGS = "/api/symbol-mgmt/scoring/rankings"


@pytest.fixture
async def cors_client(
    database_url: str, make_environment: Callable[..., Environment], session: AsyncSession
) -> AsyncIterator[httpx.AsyncClient]:
    app = app_on_session(make_environment(database_url, cors={"origins": DESK}), session)
    async for client in start_app(app):
        yield client


async def test_a_preflight_from_the_allowed_origin_is_granted(
    cors_client: httpx.AsyncClient,
) -> None:
    response = await cors_client.options(
        RANKINGS,
        headers={
            "Origin": DESK,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "x-api-key, if-none-match",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == DESK
    assert "GET" in response.headers["access-control-allow-methods"]
    allowed = response.headers["access-control-allow-headers"].lower()
    assert "x-api-key" in allowed and "if-none-match" in allowed
    assert response.headers["access-control-max-age"] == "600"


async def test_answers_to_the_allowed_origin_expose_what_a_client_reads(
    cors_client: httpx.AsyncClient,
) -> None:
    response = await cors_client.get(RANKINGS, headers={"Origin": DESK, "X-API-Key": READ_KEY})
    assert response.status_code == 404  # no run yet: errors carry the grant too
    assert response.headers["access-control-allow-origin"] == DESK
    exposed = response.headers["access-control-expose-headers"].lower()
    assert {"etag", "location", "retry-after", "x-request-id"} <= set(exposed.split(", "))


async def test_another_origin_gets_no_grant(cors_client: httpx.AsyncClient) -> None:
    response = await cors_client.get(HEALTH, headers={"Origin": "https://evil.example"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    preflight = await cors_client.options(
        HEALTH,
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 400


async def test_no_origin_is_allowed_by_default(client: httpx.AsyncClient) -> None:
    response = await client.get(HEALTH, headers={"Origin": DESK})
    assert "access-control-allow-origin" not in response.headers
