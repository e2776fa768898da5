"""Webhooks against a receiver on 127.0.0.1: signed bodies, a retry after a 500, and no more
deliveries of one kind than the rate limit allows."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import create_async_engine

from app.config import Settings
from app.db.models import WebhookDelivery
from tests.integration.committed import BASE, TRADE, prepared
from tests.kucoin_sim.app import KucoinSimulator

SECRET = "whsec_" + base64.b64encode(b"webhook-secret-for-tests-32bytes").decode()


class Receiver:
    """Checks every signature; answers the first portfolio_changed delivery with a 500."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.attempts: dict[str, int] = {}
        self.bad_signatures = 0
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        timestamp = request.headers["X-MySymbols-Timestamp"]
        expected = (
            "v1="
            + hmac.new(
                SECRET.encode(), timestamp.encode() + b"." + body, hashlib.sha256
            ).hexdigest()
        )
        if not hmac.compare_digest(expected, request.headers["X-MySymbols-Signature"]):
            self.bad_signatures += 1
            return web.Response(status=401)
        assert abs(time.time() - int(timestamp)) < 60
        delivery = request.headers["X-MySymbols-Delivery"]
        self.attempts[delivery] = self.attempts.get(delivery, 0) + 1
        event = json.loads(body)
        if event["kind"] == "portfolio_changed" and self.attempts[delivery] == 1:
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


async def test_signed_retried_and_rate_limited(
    committed_postgres: str,
    live_sim: KucoinSimulator,
    make_settings: Callable[..., Settings],
    receiver: Receiver,
) -> None:
    hooks = {
        "urls": receiver.url, "secret": SECRET, "backoff_base_s": 0.05, "rate_limit": 3,
        "rate_window_s": 60,
    }  # fmt: skip
    api, clients, symbols = await prepared(
        committed_postgres, live_sim, make_settings, webhooks=hooks, events={"poll_s": 0.2}
    )
    try:
        # The app started after its dispatcher took its starting point: no wait needed.
        await api.post(f"{BASE}/portfolio/add-symbol", json={"symbol": symbols[0]}, headers=TRADE)
        rows = await settled(committed_postgres, 2)
        by_kind = {r.kind: r for r in rows}
        assert by_kind["portfolio_changed"].status == "delivered"
        assert by_kind["portfolio_changed"].attempts == 2  # the 500, then the retry
        assert by_kind["weights_updated"].attempts == 1
        kinds = sorted(e["kind"] for e in receiver.received)
        assert kinds == ["portfolio_changed", "weights_updated"]

        # Six alerts at once: only three reach the receiver, the rest are recorded as dropped.
        for symbol in symbols[1:6]:
            await api.post(f"{BASE}/portfolio/add-symbol", json={"symbol": symbol}, headers=TRADE)
        engine = create_async_engine(committed_postgres)
        async with engine.begin() as connection:
            await connection.execute(
                text("UPDATE system_configuration SET value = '101' WHERE key = 'alert_low_score'")
            )
        await engine.dispose()
        await api.post(f"{BASE}/alerts/check", headers=TRADE)
        rows = await settled(committed_postgres, 2 + 10 + 6)
        alerts = [r for r in rows if r.kind == "alert"]
        assert len(alerts) >= 6
        assert sum(r.status == "delivered" for r in alerts) == 3
        assert all(r.status == "rate_limited" for r in alerts[3:])
        assert sum(e["kind"] == "alert" for e in receiver.received) == 3
        assert receiver.bad_signatures == 0
    finally:
        await clients.aclose()
