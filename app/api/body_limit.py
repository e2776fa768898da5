"""Request bodies bounded before anything reads them: pure ASGI middleware answering 413.

A body whose `Content-Length` is over the limit is refused before a byte of it is read; one
sent without it (chunked) is counted as it arrives and refused as soon as the count passes the
limit, the rest never read. Nothing behind it (FastAPI's body parsing, the idempotency guard,
a route) ever holds more than the limit plus one chunk of a body. The refusal closes the
connection (`Connection: close`), so the server stops reading the rest at once instead of
draining it.
"""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.middleware import incoming_request_id
from app.api.problems import problem_response
from app.core.errors import ContentTooLargeError

_CONTENT_LENGTH = b"content-length"


class BodyTooLarge(Exception):
    """Raised into the app from `receive` once the body has passed the limit."""


class BodyLimitMiddleware:
    """Refuse (413 problem+json) any HTTP request body over `max_bytes`."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = declared_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self.refuse(scope, send)
            return
        guard = _Guard(self.max_bytes, receive, send)
        try:
            await self.app(scope, guard.receive, guard.send)
        except Exception:
            # The overflow raised through the app (a route reading the body itself): answered
            # here. Anything else, or an answer already under way, is not ours to hide.
            if not guard.exceeded or guard.started:
                raise
        if guard.exceeded and not guard.started:
            await self.refuse(scope, send)

    async def refuse(self, scope: Scope, send: Send) -> None:
        """Answer 413 and close the connection, so the unread rest is never taken in."""
        state = scope.setdefault("state", {})
        request_id = state.get("request_id") or incoming_request_id(scope) or uuid.uuid4().hex
        state["request_id"] = request_id
        response = problem_response(
            Request(scope),
            ContentTooLargeError.status,
            ContentTooLargeError.slug,
            ContentTooLargeError.title,
            f"The request body is over {self.max_bytes} bytes, the most this service accepts "
            "(MYSYMBOLS_LIMITS__MAX_BODY_BYTES); nothing was read or changed.",
            extra={"max_body_bytes": self.max_bytes},
            headers={"Connection": "close", "X-Request-ID": request_id},
        )
        await response(scope, _nothing, send)


class _Guard:
    """The app's `receive` counting body bytes, and its `send`, which stands aside once the
    body has overflowed: whatever the app makes of the error (FastAPI answers 400 for a body it
    could not read) is replaced by the 413."""

    def __init__(self, max_bytes: int, receive: Receive, send: Send) -> None:
        self.max_bytes = max_bytes
        self._receive = receive
        self._send = send
        self.received = 0
        self.exceeded = False
        self.started = False  # the app's answer has begun going out

    async def receive(self) -> Message:
        if self.exceeded:  # asked again after the refusal: the client is as good as gone
            return {"type": "http.disconnect"}
        message = await self._receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.max_bytes:
                self.exceeded = True
                raise BodyTooLarge(f"request body over {self.max_bytes} bytes")
        return message

    async def send(self, message: Message) -> None:
        if self.exceeded and not self.started:
            return  # the middleware answers 413 when the app is done
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)


def declared_length(scope: Scope) -> int | None:
    """The largest `Content-Length` the request declares; None without a valid one (the
    server refuses malformed ones; a body without one is counted as it arrives)."""
    lengths = [
        int(value)
        for name, value in scope.get("headers", [])
        if name == _CONTENT_LENGTH and value.strip().isdigit()
    ]
    return max(lengths, default=None)


async def _nothing() -> Message:
    return {"type": "http.disconnect"}
