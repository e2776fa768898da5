"""Requests handed to the app as a server hands them over (an ASGI scope, then the body's
messages), for what an HTTP client cannot send: a body that never arrives, a client that goes
away mid-body."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import urlencode

from starlette.types import ASGIApp, Message

CLIENT_CLOSED = 499  # what the service counts a request whose client hung up as
HANG_UP_TIMEOUT_S = 120


def http_scope(
    method: str,
    path: str,
    headers: list[tuple[bytes, bytes]],
    query: dict[str, str] | None = None,
) -> dict[str, Any]:
    """An HTTP/1.1 request's ASGI scope, as a server hands it over."""
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": urlencode(query or {}).encode(),
        "headers": [(b"host", b"mysymbols.test"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


async def hung_up(
    app: ASGIApp,
    method: str,
    path: str,
    headers: list[tuple[bytes, bytes]],
    query: dict[str, str] | None = None,
) -> tuple[int, str, Any]:
    """`method path` announcing 100 bytes of body, of which `{` comes before the client goes
    away, sent to `app`: the status sent, its media type and body (`CLIENT_CLOSED` and nothing
    when nothing was sent, as the service counts it)."""
    arriving: list[Message] = [
        {"type": "http.request", "body": b"{", "more_body": True},
        {"type": "http.disconnect"},
    ]

    async def receive() -> Message:
        return arriving.pop(0) if len(arriving) > 1 else arriving[0]

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    lowered = [(name.lower(), value) for name, value in headers]
    scope = http_scope(method, path, [(b"content-length", b"100"), *lowered], query)
    await asyncio.wait_for(app(scope, receive, send), HANG_UP_TIMEOUT_S)
    if not sent:
        return CLIENT_CLOSED, "", None
    start = dict(sent[0].get("headers", []))
    media = start.get(b"content-type", b"").decode().split(";")[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return int(sent[0]["status"]), media, json.loads(body) if media.endswith("json") else body
