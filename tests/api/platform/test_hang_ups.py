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

from tests.api.asgi_calls import CLIENT_CLOSED, hung_up
from tests.conftest import TRADE_KEY
from tests.prometheus import counted

SIGNALS = "/api/symbol-mgmt/signals"
STATUSES = ("499", "500", "400", "422")


@pytest.mark.parametrize("media", [b"application/json", b"text/plain"])
async def test_a_body_that_never_arrives_is_sent_nothing_and_counted_499(
    app: FastAPI, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, media: bytes
) -> None:
    labels = {"method": "POST", "route": SIGNALS}
    before = {s: counted("mysymbols_http_requests_total", **labels, status=s) for s in STATUSES}
    headers = [
        (b"x-api-key", TRADE_KEY.encode()),
        (b"content-type", media),
    ]
    with caplog.at_level(logging.INFO):
        answered = await hung_up(app, "POST", SIGNALS, headers)
    assert answered == (CLIENT_CLOSED, "", None)  # nothing was sent
    after = {s: counted("mysymbols_http_requests_total", **labels, status=s) for s in STATUSES}
    assert {s: after[s] - before[s] for s in STATUSES} == {"499": 1, "500": 0, "400": 0, "422": 0}
    assert [r for r in caplog.records if r.levelno > logging.INFO] == []
    [line] = [r for r in caplog.records if r.name == "app.access"]
    assert line.levelno == logging.INFO and line.getMessage().startswith(f"POST {SIGNALS} 499 ")
