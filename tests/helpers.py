"""Assertions and small steps shared by test modules of several folders."""

from __future__ import annotations

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import SystemConfiguration

PROBLEM = "application/problem+json"


def assert_problem(response: httpx.Response, status: int, slug: str) -> dict[str, object]:
    """The response is an RFC 9457 problem of `status` and type `slug`, tied to its request."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["type"] == f"urn:mysymbols:problem:{slug}"
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    assert body["instance"] == response.request.url.path
    assert body["request_id"] == response.headers["x-request-id"]
    return dict(body)


async def set_config(session: AsyncSession, key: str, value: object) -> None:
    """Change one seeded `system_configuration` value in the test's transaction."""
    result = await session.execute(
        update(SystemConfiguration).where(SystemConfiguration.key == key).values(value=value)
    )
    # An unknown key would otherwise change nothing, and the test would check the default.
    assert result.rowcount == 1, f"no seeded configuration row {key!r}"
    await session.flush()
