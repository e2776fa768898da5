"""Webhook delivery under failure, against receivers on 127.0.0.1 and committed databases: a
black-holed receiver shows in the metric and the log while another still gets its deliveries on
time; a replica stopped or killed mid-delivery hands it on to a peer; a 307 is not followed;
critical alerts past the rate limit are coalesced into a digest, never dropped."""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from prometheus_client import REGISTRY
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from standardwebhooks import Webhook

from app.platform.core.environment_sections import WebhookEnvironment
from app.platform.db.models import EventOutbox, WebhookDelivery
from app.platform.events.wakeup import EventSignal
from app.platform.webhooks.dispatcher import WebhookDispatcher
from app.platform.webhooks.queue import receiver_label
from tests.databases import (
    drop_postgres_database,
    migrated_postgres_database,
    migrated_sqlite_url,
)

SECRET = "whsec_" + base64.b64encode(b"webhook-secret-for-tests-32bytes").decode()
LOOPBACK = {"allow_http": True, "allow_private_addresses": True}


class Receivers:
    """One loopback server, several behaviours by path; every verified request kept by path."""

    def __init__(self) -> None:
        self.webhook = Webhook(SECRET)
        self.requests: dict[str, list[tuple[dict[str, Any], dict[str, str]]]] = {}
        self.release = asyncio.Event()  # set at teardown: black-holed requests may end
        self.held = asyncio.Event()  # set when /hold has a request it does not answer
        self.base = ""

    def url(self, path: str) -> str:
        return f"{self.base}/{path}"

    def got(self, path: str) -> list[dict[str, Any]]:
        return [event for event, _ in self.requests.get(path, [])]

    async def handle(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        body = await request.read()
        headers = dict(request.headers)
        event = self.webhook.verify(body, headers)
        calls = self.requests.setdefault(path, [])
        calls.append((event, headers))
        if path == "dead":  # accepts the connection, never answers
            await self.release.wait()
        if path == "hold" and len(calls) == 1:  # the first attempt hangs: mid-delivery
            self.held.set()
            await self.release.wait()
        if path == "redirect":
            raise web.HTTPTemporaryRedirect(self.url("elsewhere"))
        return web.Response(status=204)


@pytest.fixture
async def receivers() -> AsyncIterator[Receivers]:
    state = Receivers()
    app = web.Application()
    app.router.add_post("/{path}", state.handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    state.base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    yield state
    state.release.set()
    await runner.cleanup()


@pytest.fixture(params=["postgresql", "sqlite"])
async def both_sessions(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A migrated database of its own on each backend (these deliveries commit)."""
    postgres = request.param == "postgresql"
    url = (
        await migrated_postgres_database("mysymbols_webhooks")
        if postgres
        else await migrated_sqlite_url(tmp_path)
    )
    engine = create_async_engine(url)
    yield async_sessionmaker(engine, expire_on_commit=False)
    await engine.dispose()
    if postgres:
        await drop_postgres_database(url)


@pytest.fixture
async def sessions(committed_postgres: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_async_engine(committed_postgres)
    yield async_sessionmaker(engine, expire_on_commit=False)
    await engine.dispose()


@pytest.fixture
async def sqlite_sessions(committed_sqlite: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_async_engine(committed_sqlite)
    yield async_sessionmaker(engine, expire_on_commit=False)
    await engine.dispose()


def environment(*urls: str, **overrides: Any) -> WebhookEnvironment:
    values: dict[str, Any] = {"backoff_base_s": 0.05, **LOOPBACK, **overrides}
    return WebhookEnvironment(urls=list(urls), secret=SECRET, **values)


@asynccontextmanager
async def dispatcher(
    config: WebhookEnvironment, sessions: async_sessionmaker[AsyncSession], replica: str
) -> AsyncIterator[WebhookDispatcher]:
    """A started dispatcher (a replica's), stopped at the end as at shutdown."""
    async with aiohttp.ClientSession() as http:
        hooks = WebhookDispatcher(
            config, sessions, http, EventSignal(), replica=replica, poll_s=0.05
        )
        hooks.start()
        assert await hooks.ready(10.0)
        try:
            yield hooks
        finally:
            await hooks.stop()


async def publish(
    sessions: async_sessionmaker[AsyncSession], *payloads: dict[str, Any], kind: str = "alert"
) -> list[int]:
    """Commit one event per payload in one transaction; their ids."""
    async with sessions() as session:
        events = [EventOutbox(kind=kind, payload=payload) for payload in payloads]
        session.add_all(events)
        await session.commit()
        return [event.id for event in events]


async def rows(sessions: async_sessionmaker[AsyncSession], url: str) -> list[WebhookDelivery]:
    async with sessions() as session:
        query = select(WebhookDelivery).where(WebhookDelivery.url == url)
        return list(await session.scalars(query.order_by(WebhookDelivery.event_id)))


async def until(condition: Any, timeout_s: float = 10.0) -> float:
    """Poll `condition()` (sync or async) until true; the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        result = condition()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return time.monotonic() - started
        await asyncio.sleep(0.05)
    raise AssertionError(f"not within {timeout_s} s")


def count(kind: str, outcome: str) -> float:
    labels = {"kind": kind, "outcome": outcome}
    return REGISTRY.get_sample_value("mysymbols_webhook_deliveries_total", labels) or 0.0


def lag(url: str) -> float | None:
    labels = {"receiver": receiver_label(url)}
    return REGISTRY.get_sample_value("mysymbols_webhook_delivery_lag_seconds", labels)


@pytest.fixture
def warnings(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level(logging.WARNING, logger="app.platform.webhooks"):
        yield caplog


class TestDeadReceiver:
    async def test_delays_nobody_else_and_shows_in_metric_and_log(
        self,
        sessions: async_sessionmaker[AsyncSession],
        receivers: Receivers,
        warnings: pytest.LogCaptureFixture,
    ) -> None:
        dead, live = receivers.url("dead"), receivers.url("ok")
        # A dead delivery costs 2 attempts x 2.5 s: before, every event waited for it in turn.
        # Both batches reach the live receiver well within the first one's 5 s.
        config = environment(dead, live, timeout_s=2.5, max_attempts=2, queue_max=3)
        failed, dropped = count("weights_updated", "failed"), count("weights_updated", "dropped")
        async with dispatcher(config, sessions, "a"):
            await publish(sessions, *({"n": n} for n in range(3)), kind="weights_updated")
            await until(lambda: len(receivers.got("ok")) == 3)
            # The dead queue: one in flight, two waiting, room for one: two of these are dropped.
            await publish(sessions, *({"n": n} for n in range(3, 6)), kind="weights_updated")
            await until(lambda: len(receivers.got("ok")) == 6)
            failed_by_then = count("weights_updated", "failed") - failed
            await until(lambda: count("weights_updated", "failed") > failed)
            dead_lag, live_lag = lag(dead), lag(live)
        assert [e["data"]["n"] for e in receivers.got("ok")] == list(range(6))
        assert failed_by_then == 0  # the live receiver had all six before the dead one failed
        assert count("weights_updated", "dropped") - dropped == 2
        assert count("weights_updated", "failed") - failed >= 1
        assert dead_lag is not None and dead_lag >= 2.5  # its oldest waiting event's age
        assert live_lag == 0.0
        stored = await rows(sessions, dead)
        assert [r.error for r in stored if r.status == "rate_limited"] == 2 * [
            "queue full (3 waiting)"
        ]
        assert stored[0].status == "failed"
        assert stored[0].error == "TimeoutError"
        assert {r.status for r in await rows(sessions, live)} == {"delivered"}
        lines = [r for r in warnings.records if r.levelno == logging.WARNING]
        assert sum("dropped: queue full" in r.getMessage() for r in lines) == 2
        assert any("failed after 2 attempt(s): TimeoutError" in r.getMessage() for r in lines)
        assert all("/dead" not in r.getMessage() for r in lines)  # host and port, not the path


class TestHandedOn:
    async def test_stopped_replica_hands_its_delivery_to_a_peer(
        self, both_sessions: async_sessionmaker[AsyncSession], receivers: Receivers
    ) -> None:
        sessions = both_sessions
        url = receivers.url("hold")
        # A long claim: only the hand-back at stop lets the peer take the row this soon.
        config = environment(url, timeout_s=30.0, claim_ttl_s=60.0)
        async with dispatcher(config, sessions, "a"):
            [event_id] = await publish(sessions, {"severity": "warning"})
            await asyncio.wait_for(receivers.held.wait(), 10)
        [row] = await rows(sessions, url)
        assert (row.status, row.claimant, row.replica) == ("sending", None, "a")  # handed back
        async with dispatcher(environment(url, claim_ttl_s=3.0), sessions, "b"):
            took = await until(
                lambda: len(receivers.got("hold")) == 2 and receivers.requests["hold"]
            )
            [row] = await until_settled(sessions, url)
        assert (row.event_id, row.status, row.replica, row.response_status) == (
            event_id,
            "delivered",
            "b",
            204,
        )
        first, second = (headers for _, headers in receivers.requests["hold"])
        assert first["webhook-id"] == second["webhook-id"]  # the receiver can de-duplicate
        assert took < 5.0, took

    async def test_killed_replica_delivery_is_reclaimed_once_its_heartbeat_is_stale(
        self, sessions: async_sessionmaker[AsyncSession], receivers: Receivers
    ) -> None:
        url = receivers.url("hold")
        async with aiohttp.ClientSession() as http:
            a = WebhookDispatcher(
                environment(url, timeout_s=30.0, claim_ttl_s=3.0),
                sessions,
                http,
                EventSignal(),
                replica="a",
                poll_s=0.05,
            )
            a.start()
            assert await a.ready(10)
            await publish(sessions, {"severity": "warning"})
            await asyncio.wait_for(receivers.held.wait(), 10)
            # Killed: its tasks end, nothing is handed back, nothing heartbeats any more.
            await a.task.stop()
            await a.claims.stop()
            for queue in a.queues.values():
                await queue.stop()
        [row] = await rows(sessions, url)
        assert (row.status, row.claimant) == ("sending", a.claimant)
        async with dispatcher(environment(url, claim_ttl_s=5.0), sessions, "b") as b:
            assert await b.sweep() == 0  # a's heartbeat is still fresh: not taken yet
            await until(lambda: len(receivers.got("hold")) == 2, timeout_s=15.0)
            [row] = await until_settled(sessions, url)
        assert (row.status, row.replica, row.claimant) == ("delivered", "b", b.claimant)


async def until_settled(
    sessions: async_sessionmaker[AsyncSession], url: str
) -> list[WebhookDelivery]:
    async def settled() -> list[WebhookDelivery] | None:
        found = await rows(sessions, url)
        return found if found and all(r.status != "sending" for r in found) else None

    await until(settled)
    return await rows(sessions, url)


class TestRedirect:
    async def test_307_is_a_failure_and_not_followed(
        self, sqlite_sessions: async_sessionmaker[AsyncSession], receivers: Receivers
    ) -> None:
        url = receivers.url("redirect")
        failed = count("alert", "failed")
        async with dispatcher(environment(url), sqlite_sessions, "a"):
            await publish(sqlite_sessions, {"severity": "warning"})
            [row] = await until_settled(sqlite_sessions, url)
        assert (row.status, row.attempts, row.response_status) == ("failed", 1, 307)
        assert row.error == "HTTP 307 (redirects are not followed)"
        assert len(receivers.got("redirect")) == 1
        assert receivers.got("elsewhere") == []  # the signed body went nowhere else
        assert count("alert", "failed") - failed == 1


class TestCriticalAlerts:
    async def test_past_the_rate_limit_are_coalesced_not_dropped(
        self, sqlite_sessions: async_sessionmaker[AsyncSession], receivers: Receivers
    ) -> None:
        url = receivers.url("ok")
        severities = [
            "critical",
            "warning",
            "critical",
            "critical",
            "warning",
            "critical",
            "warning",
            "critical",
        ]
        before = {o: count("alert", o) for o in ("delivered", "coalesced", "dropped")}
        async with dispatcher(environment(url, rate_limit=2), sqlite_sessions, "a"):
            ids = await publish(
                sqlite_sessions, *({"severity": s, "n": n} for n, s in enumerate(severities))
            )
            stored = await until_settled(sqlite_sessions, url)
        posts = receivers.got("ok")
        assert len(posts) == 3  # the two within the limit, then one digest
        assert [p["data"]["n"] for p in posts[:2]] == [0, 1]
        digest = posts[2]
        assert [e["data"]["n"] for e in digest["coalesced"]] == [2, 3, 5, 7]
        assert digest["id"] == ids[7]
        assert digest["data"]["n"] == 7  # the newest, as a receiver reading `data` sees it
        sent = {p["data"]["n"] for p in posts[:2]} | {e["data"]["n"] for e in digest["coalesced"]}
        assert {n for n, s in enumerate(severities) if s == "critical"} <= sent
        status = {r.event_id: r.status for r in stored}
        assert [status[ids[n]] for n in (4, 6)] == ["rate_limited", "rate_limited"]
        assert all(status[ids[n]] == "delivered" for n in (0, 2, 3, 5, 7))
        after = {o: count("alert", o) - before[o] for o in before}
        assert after == {"delivered": 3, "coalesced": 3, "dropped": 2}
