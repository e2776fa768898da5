"""An answer's way out of the response cache: captured and kept as it passes, or sent again.

A cacheable `200` (its route marked it, in the request's state) is buffered, tagged and handed to
the cache as it goes to the caller; a kept one is sent from its entry with `X-Cache`; either is
answered `304` to a caller whose `If-None-Match` holds the representation it would be sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Protocol

from starlette.types import Message, Receive, Scope, Send

from app.platform.core.environment import Role
from app.platform.core.headers import CACHE, raw
from app.platform.http.cache_entries import Entry, Header, representations
from app.platform.http.caller import Caller

CACHE_HEADER = raw(CACHE)
HIT: Header = (CACHE_HEADER, b"hit")
STALE: Header = (CACHE_HEADER, b"stale")
# What a route leaves in request.state: its marker's (`response_cache`), its authentication's.
ROLE_KEY = "cached_read_role"  # request.state: the route's required role (it is cacheable)
STALE_KEY = "cached_read_stale"  # request.state: its answers may be served stale after a commit
PRINCIPAL_KEY = "principal_role"  # request.state: the role the route authenticated


class KeepingCache(Protocol):
    """What a capture needs of the cache it keeps answers in (the `ResponseCache`)."""

    generation: int  # one more at each commit: an answer computed across one is not kept
    clock: Callable[[], float]

    def store(self, key: bytes, entry: Entry) -> bool: ...

    def end(
        self,
        key: bytes,
        entry: Entry | None,
        future: asyncio.Future[Entry | None],
        *,
        answered: bool,
    ) -> None: ...

    def learn_role(self, key_hash: str, role: Role, generation: int) -> None: ...


class Capture:
    """Passes an answer through; a cacheable `200` is buffered, tagged, kept and sent (or
    answered `304` when the caller already has it)."""

    def __init__(
        self,
        scope: Scope,
        send: Send,
        cache: KeepingCache,
        key: bytes,
        caller: Caller,
        computing: asyncio.Future[Entry | None] | None = None,
    ) -> None:
        self.scope, self._send, self.cache, self.key = scope, send, cache, key
        self.caller = caller
        self.computing = computing  # set when the callers of the same key wait for this one
        self.generation = cache.generation  # before the route reads anything
        self.start: Message | None = None
        self.chunks: list[bytes] = []
        self.shared: Entry | None = None  # the answer, when it was cacheable and current

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            request_state = self.scope.get("state", {})
            self._learn_role(request_state)
            if message["status"] == 200 and ROLE_KEY in request_state:
                self.start = message
                return
            # Not cacheable (an error, or a route such as the event stream that never ends):
            # the waiting callers compute their own answers now, not when this one is over.
            self.release(answered=False)
        elif self.start is not None and message["type"] == "http.response.body":
            self.chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                await self._finish()
            return
        await self._send(message)

    def release(self, *, answered: bool = True) -> None:
        if self.computing is not None:
            self.cache.end(self.key, self.shared, self.computing, answered=answered)
            self.computing = None

    def _learn_role(self, request_state: dict[str, Any]) -> None:
        role = request_state.get(PRINCIPAL_KEY)
        if role is not None and self.caller.key_hash is not None:
            self.cache.learn_role(self.caller.key_hash, role, self.generation)

    async def _finish(self) -> None:
        assert self.start is not None
        body = b"".join(self.chunks)
        passed = [(k, v) for k, v in self.start["headers"] if k != b"content-length"]
        content_type = dict(passed).get(b"content-type", b"application/json")
        vary = tuple(v for k, v in passed if k == b"vary")  # kept with it: hits send it too
        current = self.generation == self.cache.generation  # else it is not kept
        plain, gzipped = await representations(body, content_type, keepable=current, vary=vary)
        state = self.scope["state"]
        entry = Entry(
            plain=plain,
            gzipped=gzipped,
            role=state[ROLE_KEY],
            may_stale=state.get(STALE_KEY, False),
            generation=self.generation,
            stored_at=self.cache.clock(),
        )
        # Kept when it fits; handed to the callers waiting for it even when too large to keep.
        if self.cache.store(self.key, entry) or entry.generation == self.cache.generation:
            self.shared = entry
        sent = entry.for_caller(self.scope)
        own = [(k, v) for k, v in passed if k not in _KEPT_HEADERS]  # the route's other headers
        if _not_modified(self.scope, sent.etag):
            etag_and_vary = [(k, v) for k, v in sent.head if k in _NOT_MODIFIED_HEADERS]
            await self._send(
                {"type": "http.response.start", "status": 304, "headers": [*own, *etag_and_vary]}
            )
            await self._send({"type": "http.response.body", "body": b""})
            return
        await self._send(
            {"type": "http.response.start", "status": 200, "headers": [*own, *sent.head]}
        )
        await self._send({"type": "http.response.body", "body": sent.body})


def no_body() -> Receive:
    """A refresh's `receive`: a `GET`'s empty body, then the caller gone."""
    messages = iter(({"type": "http.request", "body": b"", "more_body": False},))

    async def receive() -> Message:
        return next(messages, {"type": "http.disconnect"})

    return receive


async def discard(_message: Message) -> None:
    """A refresh's `send`: its answer is kept, not sent."""


def entry_messages(scope: Scope, entry: Entry, age_s: int | None = None) -> tuple[Message, Message]:
    """A kept answer's start and body, gzipped for a caller that accepts it: `X-Cache: hit`, or
    `stale` with its `Age`; `304` when the caller already has it."""
    tags = [HIT] if age_s is None else [STALE, (b"age", str(age_s).encode())]
    sent = entry.for_caller(scope)
    if _not_modified(scope, sent.etag):
        headers = [(k, v) for k, v in sent.head if k in _NOT_MODIFIED_HEADERS]
        start = {"type": "http.response.start", "status": 304, "headers": [*headers, *tags]}
        return start, {"type": "http.response.body", "body": b""}
    start = {"type": "http.response.start", "status": 200, "headers": [*sent.head, *tags]}
    return start, {"type": "http.response.body", "body": sent.body}


_NOT_MODIFIED_HEADERS = frozenset((b"etag", b"vary"))  # what a 304 repeats of the 200's head
_KEPT_HEADERS = frozenset((b"content-type", b"vary"))  # a route's, in its representations' heads


def _not_modified(scope: Scope, etag: bytes) -> bool:
    """Whether the caller holds the representation it would be sent (RFC 9110, 13.1.2)."""
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            tags = {t.strip().removeprefix(b"W/") for t in value.split(b",")}
            return etag in tags or b"*" in tags
    return False
