"""Assertions and small steps shared by test modules of several folders."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.configuration.registry import SETTINGS
from app.platform.core.clock import utcnow
from app.platform.db.models import EventOutbox
from app.platform.db.models.system_configuration import SystemConfiguration
from app.platform.webhooks.dispatcher import WebhookDispatcher

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
    """Store one runtime setting's value in the test's transaction, as an operator's change
    would (an unknown key fails: the test would otherwise check the default)."""
    assert key in SETTINGS, f"no runtime setting {key!r}"
    row = await session.get(SystemConfiguration, key)
    if row is None:
        row = SystemConfiguration(key=key, description=SETTINGS[key].description)
        session.add(row)
    row.value, row.updated_at, row.updated_by = value, utcnow(), "test"
    await session.flush()


# Store one runtime setting's value (`:k`, the JSON text `:v`) outside the API, as an operator's
# edit of the database would: a row is stored only once a setting is changed.
STORE_SETTING = (
    text("DELETE FROM system_configuration WHERE key = :k"),
    text(
        "INSERT INTO system_configuration (key, value, updated_at, updated_by) "
        "VALUES (:k, :v, CURRENT_TIMESTAMP, 'test')"
    ),
)


async def store_setting(connection: AsyncConnection, key: str, value: object) -> None:
    """Store one runtime setting's `value` on `connection` (committed with its transaction)."""
    assert key in SETTINGS, f"no runtime setting {key!r}"
    for statement in STORE_SETTING:
        await connection.execute(statement, {"k": key, "v": json.dumps(value)})


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


async def send_now(dispatcher: WebhookDispatcher, event: EventOutbox, url: str) -> None:
    """Claim `event` as the dispatcher does when it follows the outbox, then send `url`'s
    delivery as that URL's queue does, without either's background task."""
    await dispatcher.claim([event])
    queue = dispatcher.queues[url]
    await queue.send([queue.queued.popleft()])
