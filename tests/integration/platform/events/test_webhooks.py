"""Webhooks against a receiver on 127.0.0.1 that verifies with the `standardwebhooks` library's
own `Webhook(secret).verify`: deliveries it accepts, a tampered body it refuses, a retry after a
500 under the same `webhook-id`, and no more deliveries of one kind than the rate limit allows."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from standardwebhooks import Webhook, WebhookVerificationError

from app.platform.core.environment import Environment
from app.platform.core.environment_sections import WebhookEnvironment
from app.platform.db.models import EventOutbox, WebhookDelivery
from app.platform.events.wakeup import EventSignal
from app.platform.webhooks.dispatcher import WebhookDispatcher
from app.platform.webhooks.send import message_id
from tests.helpers import send_now, store_setting
from tests.integration.committed import BASE, TRADE, prepared
from tests.kucoin_sim.app import KucoinSimulator

# The receivers listen on 127.0.0.1 over http, which the service refuses unless told otherwise.
LOOPBACK = {"allow_http": True, "allow_private_addresses": True}
SECRET = "whsec_" + base64.b64encode(b"webhook-secret-for-tests-32bytes").decode()


class Receiver:
    """Verifies every request as a receiver would; answers the first attempt at each
    portfolio_changed delivery with a 500."""

    def __init__(self) -> None:
        self.webhook = Webhook(SECRET)
        self.received: list[dict[str, Any]] = []
        self.attempts: dict[str, list[tuple[bytes, dict[str, str]]]] = {}  # by webhook-id
        self.rejected = 0
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        headers = dict(request.headers)
        try:
            event = self.webhook.verify(body, headers)
        except WebhookVerificationError:
            self.rejected += 1
            return web.Response(status=401)
        attempts = self.attempts.setdefault(headers["webhook-id"], [])
        attempts.append((body, headers))
        if event["kind"] == "portfolio_changed" and len(attempts) == 1:
            return web.Response(status=500)
        self.received.append(event)
        return web.Response(status=204)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    state = Receiver()
    app = web.Application()
    app.router.add_post("/hook", state.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    state.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    yield state
    await runner.cleanup()


async def deliveries(url: str) -> list[WebhookDelivery]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(select(WebhookDelivery).order_by(WebhookDelivery.id))
            return [WebhookDelivery(**row._mapping) for row in rows]
    finally:
        await engine.dispose()


async def settled(url: str, count: int, timeout_s: float = 10.0) -> list[WebhookDelivery]:
    for _ in range(int(timeout_s / 0.1)):
        rows = await deliveries(url)
        if len(rows) >= count and all(r.status != "sending" for r in rows):
            return rows
        await asyncio.sleep(0.1)
    raise AssertionError(f"deliveries did not settle: {await deliveries(url)}")


async def dispatch(database_url: str, receiver: Receiver, kind: str) -> WebhookDelivery:
    """Commit one `kind` event and deliver it to `receiver` through the dispatcher; its row."""
    engine = create_async_engine(database_url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    try:
        async with sessions() as session:
            event = EventOutbox(kind=kind, payload={"symbol": "XBTUSDTM", "weight": "0.25"})
            session.add(event)
            await session.commit()
        environment = WebhookEnvironment(
            urls=[receiver.url], secret=SECRET, backoff_base_s=0.05, **LOOPBACK
        )
        async with aiohttp.ClientSession() as http:
            dispatcher = WebhookDispatcher(environment, sessions, http, EventSignal(), replica="t")
            await send_now(dispatcher, event, receiver.url)
        async with sessions() as session:
            row = await session.scalar(
                select(WebhookDelivery).where(WebhookDelivery.event_id == event.id)
            )
            assert row is not None
            return row
    finally:
        await engine.dispose()


class TestStandardWebhooksSignature:
    async def test_library_receiver_accepts_a_delivery(
        self, committed_sqlite: str, receiver: Receiver
    ) -> None:
        row = await dispatch(committed_sqlite, receiver, "weights_updated")
        assert (row.status, row.attempts, row.response_status) == ("delivered", 1, 204)
        [(body, headers)] = receiver.attempts[message_id(row.event_id, row.id)]
        assert headers["webhook-signature"].startswith("v1,")
        assert "X-MySymbols-Signature" not in headers  # the old scheme is gone
        assert receiver.received == [json.loads(body)]
        assert receiver.received[0]["data"] == {"symbol": "XBTUSDTM", "weight": "0.25"}
        assert receiver.rejected == 0

    async def test_tampered_body_is_rejected(
        self, committed_sqlite: str, receiver: Receiver
    ) -> None:
        row = await dispatch(committed_sqlite, receiver, "weights_updated")
        [(body, headers)] = receiver.attempts[message_id(row.event_id, row.id)]
        tampered = body.replace(b'"0.25"', b'"0.95"')
        assert tampered != body
        with pytest.raises(WebhookVerificationError):
            Webhook(SECRET).verify(tampered, headers)
        signed = {k: v for k, v in headers.items() if k.startswith("webhook-")}
        async with (  # and over HTTP, as a forger would send it
            aiohttp.ClientSession() as http,
            http.post(receiver.url, data=tampered, headers=signed) as response,
        ):
            assert response.status == 401
        assert receiver.rejected == 1
        assert len(receiver.received) == 1

    async def test_other_secret_is_rejected(
        self, committed_sqlite: str, receiver: Receiver
    ) -> None:
        row = await dispatch(committed_sqlite, receiver, "weights_updated")
        [(body, headers)] = receiver.attempts[message_id(row.event_id, row.id)]
        other = "whsec_" + base64.b64encode(b"another-secret-of-32-bytes-long!").decode()
        with pytest.raises(WebhookVerificationError):
            Webhook(other).verify(body, headers)

    async def test_retried_delivery_keeps_its_webhook_id(
        self, committed_sqlite: str, receiver: Receiver
    ) -> None:
        row = await dispatch(committed_sqlite, receiver, "portfolio_changed")
        assert (row.status, row.attempts) == ("delivered", 2)  # the 500, then the retry
        msg_id = message_id(row.event_id, row.id)
        assert list(receiver.attempts) == [msg_id]
        [(first_body, first), (second_body, second)] = receiver.attempts[msg_id]
        assert first["webhook-id"] == second["webhook-id"] == f"msg_{row.event_id}_{row.id}"
        assert first_body == second_body
        assert int(second["webhook-timestamp"]) >= int(first["webhook-timestamp"])


async def test_signed_retried_and_rate_limited(
    committed_postgres: str,
    live_sim: KucoinSimulator,
    make_environment: Callable[..., Environment],
    receiver: Receiver,
) -> None:
    hooks = {
        "urls": receiver.url,
        "secret": SECRET,
        "backoff_base_s": 0.05,
        "rate_limit": 3,
        "rate_window_s": 60,
        **LOOPBACK,
    }
    api, clients, symbols = await prepared(
        committed_postgres, live_sim, make_environment, webhooks=hooks, events={"poll_s": 0.2}
    )
    try:
        # The app started after its dispatcher took its starting point: no wait needed.
        await api.post(f"{BASE}/portfolio/add-symbol", json={"symbol": symbols[0]}, headers=TRADE)
        rows = await settled(committed_postgres, 2)
        by_kind = {r.kind: r for r in rows}
        changed = by_kind["portfolio_changed"]
        assert changed.status == "delivered"
        assert changed.attempts == 2  # the 500, then the retry
        assert len(receiver.attempts[message_id(changed.event_id, changed.id)]) == 2
        assert by_kind["weights_updated"].attempts == 1
        kinds = sorted(e["kind"] for e in receiver.received)
        assert kinds == ["portfolio_changed", "weights_updated"]

        # Six alerts at once: only three reach the receiver, the rest are recorded as dropped.
        for symbol in symbols[1:6]:
            await api.post(f"{BASE}/portfolio/add-symbol", json={"symbol": symbol}, headers=TRADE)
        engine = create_async_engine(committed_postgres)
        async with engine.begin() as connection:
            await store_setting(connection, "alert_low_score", 101)
        await engine.dispose()
        await api.post(f"{BASE}/alerts/check", headers=TRADE)
        rows = await settled(committed_postgres, 2 + 10 + 6)
        alerts = [r for r in rows if r.kind == "alert"]
        assert len(alerts) >= 6
        assert sum(r.status == "delivered" for r in alerts) == 3
        assert all(r.status == "rate_limited" for r in alerts[3:])
        assert sum(e["kind"] == "alert" for e in receiver.received) == 3
        assert receiver.rejected == 0
    finally:
        await clients.aclose()
