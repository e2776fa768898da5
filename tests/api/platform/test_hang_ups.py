"""A client that hangs up before its body has arrived, whatever the body's type, is sent nothing,
logs no error and is counted as a 499 (client closed), as a server hands the app its going away
(`http.disconnect`); tests/deployed/test_hang_ups.py does the same over a real socket. Before, a
JSON body's hang-up was an ERROR with a traceback and a 500, and one of another type a 422 (FastAPI
read the disconnect as a body it could not parse)."""

from __future__ import annotations

import logging

import httpx
import pytest
from fastapi import FastAPI
from starlette.types import Message

from tests.api.platform.test_credentials import post_scope
from tests.conftest import TRADE_KEY
from tests.prometheus import counted

SIGNALS = "/api/symbol-mgmt/signals"
STATUSES = ("499", "500", "400", "422")


@pytest.mark.parametrize("media", [b"application/json", b"text/plain"])
async def test_a_body_that_never_arrives_is_sent_nothing_and_counted_499(
    app: FastAPI, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, media: bytes
) -> None:
    arriving: list[Message] = [
        {"type": "http.request", "body": b"{", "more_body": True},
        {"type": "http.disconnect"},
    ]

    async def receive() -> Message:
        return arriving.pop(0) if len(arriving) > 1 else arriving[0]

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    labels = {"method": "POST", "route": SIGNALS}
    before = {s: counted("mysymbols_http_requests_total", **labels, status=s) for s in STATUSES}
    headers = [
        (b"x-api-key", TRADE_KEY.encode()),
        (b"content-type", media),
        (b"content-length", b"100"),
    ]
    with caplog.at_level(logging.INFO):
        await app(post_scope(SIGNALS, headers), receive, send)
    assert sent == []
    after = {s: counted("mysymbols_http_requests_total", **labels, status=s) for s in STATUSES}
    assert {s: after[s] - before[s] for s in STATUSES} == {"499": 1, "500": 0, "400": 0, "422": 0}
    assert [r for r in caplog.records if r.levelno > logging.INFO] == []
    [line] = [r for r in caplog.records if r.name == "app.access"]
    assert line.levelno == logging.INFO and line.getMessage().startswith(f"POST {SIGNALS} 499 ")
