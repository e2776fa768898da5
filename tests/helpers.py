"""Assertions and small steps shared by test modules of several folders."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.db.models.system_configuration import SystemConfiguration

PROBLEM = "application/problem+json"
RUN_ENDED = ("succeeded", "degraded", "failed", "aborted", "skipped", "cancelled")


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


def absolute(client: httpx.AsyncClient, location: str) -> httpx.URL:
    """`location`, an absolute path as the API gives it, on `client`'s origin (a client joins a
    path to its base URL's own)."""
    return client.base_url.copy_with(path=location)


async def run_ended(
    client: httpx.AsyncClient, location: str, headers: dict[str, str], timeout_s: float = 120
) -> dict[str, Any]:
    """The job run at `location` once it has ended (or as it is after `timeout_s`), polled
    through the API as a client follows a 202: a test that needs a run finished waits for it
    here, never on how its app happens to order runs and requests."""
    deadline = time.monotonic() + timeout_s
    while True:
        response = await client.get(absolute(client, location), headers=headers)
        assert response.status_code == 200, response.text
        run: dict[str, Any] = response.json()
        if run["status"] in RUN_ENDED or time.monotonic() > deadline:
            return run
        await asyncio.sleep(0.05)
