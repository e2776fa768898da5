"""Request bodies bounded before anything reads them: the protection layer's 413.

A body whose `Content-Length` is over the limit is refused before a byte of it is read; one
sent without it (chunked) is counted as it arrives (`BodyGuard`) and refused as soon as the
count passes the limit, the rest never read. Nothing behind it (FastAPI's body parsing, the
idempotency guard, a route) ever holds more than the limit plus one chunk of a body. The refusal
closes the connection (`Connection: close`), so the server stops reading the rest at once
instead of draining it.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope

from app.platform.core.errors import ContentTooLargeError
from app.platform.http.problems import error_response

_CONTENT_LENGTH = b"content-length"


class BodyTooLarge(Exception):
    """Raised into the app from `receive` once the body has passed the limit."""


def too_large(scope: Scope, max_bytes: int) -> Response:
    """The 413 (problem+json), closing the connection so the unread rest is never taken in."""
    refused = ContentTooLargeError(
        f"The request body is over {max_bytes} bytes, the most this service accepts "
        "(MYSYMBOLS_LIMITS__MAX_BODY_BYTES); nothing was read or changed.",
        extra={"max_body_bytes": max_bytes},
        headers={"Connection": "close"},
    )
    return error_response(Request(scope), refused)


class BodyGuard:
    """The app's `receive`, counting body bytes: past the limit it raises `BodyTooLarge` into
    the app and answers a disconnect to any later call. Whatever the app makes of the error
    (FastAPI answers 400 for a body it could not read) is the protection layer's to replace by
    the 413, as long as no answer has started."""

    def __init__(self, max_bytes: int, receive: Receive) -> None:
        self.max_bytes = max_bytes
        self._receive = receive
        self.received = 0
        self.exceeded = False

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


def declared_length(scope: Scope) -> int | None:
    """The largest `Content-Length` the request declares; None without a valid one (the
    server refuses malformed ones; a body without one is counted as it arrives)."""
    lengths = [
        int(value)
        for name, value in scope.get("headers", [])
        if name == _CONTENT_LENGTH and value.strip().isdigit()
    ]
    return max(lengths, default=None)
