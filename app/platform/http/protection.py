"""The one pure-ASGI layer in front of the routes: what the service does to every HTTP request,
in one `__call__` and one `send` that adds every header once.

In order, for each request:

- a `HEAD` run as the `GET` of the same target, its answer's head sent without the body
  (`_head_only`): every GET route answers HEAD, and the OpenAPI document names only the GETs;
- its id (`app.platform.http.request_id`): on the request's state, on the log records written while
  it is
  answered and on every answer (`X-Request-ID`);
- its body bounded (`app.platform.http.body_limit`): a `Content-Length` over the limit is a 413
  before
  anything is read, a chunked body is counted as it arrives;
- its caller resolved once (`app.platform.http.caller`), and a read or write token taken from its
  bucket
  (`app.platform.http.rate_limit`: 429 with `Retry-After` when spent), the probes exempt; before the
  response cache, so a flood of cached answers still costs its caller;
- a `GET` answered from the response cache when it may be (`app.platform.http.response_cache`; an
  answer
  near its time limit, or stale, recomputed in the background after it is sent), else by the
  route, its answer kept when it may;
- every answer tagged with the market data's source (`X-Market-Data-Source`), counted and logged
  (`app.platform.observability.http`), the cache's and the refusals included;
- an error no handler answered: logged with its traceback, answered as a bare problem+json 500
  that reveals nothing but the request's id; but a client that hung up before its body arrived
  (Starlette's `ClientDisconnect`) is sent nothing, logged nowhere but in its access line and
  counted as `499` (nginx's "client closed request"): the request was the client's to end, and
  no fault of the service's (a 5xx feeds the error-ratio alert).

CORS stays Starlette's own middleware, outside this one (preflights never reach it).
"""

from __future__ import annotations

import time

from starlette.requests import ClientDisconnect, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.platform.core.headers import MARKET_SOURCE, raw
from app.platform.core.log import bound
from app.platform.core.paths import LIVENESS, READINESS, SCRAPE
from app.platform.http.body_limit import BodyGuard, declared_length, too_large
from app.platform.http.cache_capture import entry_messages
from app.platform.http.cache_keys import request_key
from app.platform.http.caller import CALLER_KEY, Caller, resolve_caller
from app.platform.http.problems import error_response, handle_unexpected
from app.platform.http.rate_limit import CallerLimits
from app.platform.http.request_id import REQUEST_ID_HEADER, request_id_of
from app.platform.http.response_cache import ResponseCache
from app.platform.observability.http import AnsweredRequests

_MARKET_SOURCE = raw(MARKET_SOURCE)
CLIENT_CLOSED = 499  # the status a request its client hung up on is counted and logged with


class ProtectionLayer:
    """Request ids, the body limit, the callers' limits, the response cache, the headers, the
    metrics and the access log, and the last-resort 500, around `app`."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limits: CallerLimits,
        cache: ResponseCache,
        max_body_bytes: int,
    ) -> None:
        self.app = app
        self.limits = limits
        self.cache = cache
        self.max_body_bytes = max_body_bytes
        self.answered = AnsweredRequests(quiet={LIVENESS, READINESS, SCRAPE})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = request_id_of(scope)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        caller = state[CALLER_KEY] = resolve_caller(scope, self.limits.keyring)
        head = scope["method"] == "HEAD"
        if head:  # the server's scope stays HEAD: it writes no body either
            scope, send = {**scope, "method": "GET"}, _head_only(send)
        answer = _Answer(send, scope, request_id, self.limits, caller)
        try:
            await self._protect(scope, receive, answer, caller)
        except Exception as exc:
            if answer.guard is not None and answer.guard.exceeded and not answer.started:
                await self._too_large(scope, answer)  # the overflow raised through the route
            elif answer.started:
                raise
            elif isinstance(exc, ClientDisconnect):  # nobody to answer: nothing is sent
                answer.status = CLIENT_CLOSED
            else:
                failed = await handle_unexpected(Request(scope), exc)
                await failed(scope, receive, answer.send)
        finally:
            if head:
                scope = {**scope, "method": "HEAD"}
            self.answered.record(scope, answer.status, time.perf_counter() - started, request_id)

    async def _protect(
        self, scope: Scope, receive: Receive, answer: _Answer, caller: Caller
    ) -> None:
        declared = declared_length(scope)
        if declared is not None and declared > self.max_body_bytes:
            await self._too_large(scope, answer)
            return
        if not self._probe(scope["path"], caller):
            refused = await self.limits.admit(scope["method"], caller)
            if refused is not None:
                await error_response(Request(scope), refused)(scope, receive, answer.send)
                return
        cache = self.cache
        cached = scope["method"] == "GET" and cache.active and not caller.conflicting
        if cached:
            key = request_key(scope)
            found = await cache.find(key, caller)
            if found.entry is not None:  # a kept answer: no body read, nothing logged meanwhile
                if found.refresh is not None:  # started first: it must end what find began
                    cache.refresh(scope, self.app, key, caller, found.refresh)
                start, body = entry_messages(scope, found.entry, found.age_s)
                await answer.send(start)
                await answer.send(body)
                return
        guard = answer.guard = BodyGuard(self.max_body_bytes, receive)
        with bound(request_id=answer.request_id):  # on the records logged while answering
            if cached:
                await cache.compute(
                    scope, guard.receive, answer.send, self.app, key, caller, found.computing
                )
            else:
                await self.app(scope, guard.receive, answer.send)
        if guard.exceeded and not answer.started:  # the route answered the overflow its way
            await self._too_large(scope, answer)

    async def _too_large(self, scope: Scope, answer: _Answer) -> None:
        answer.guard = None  # the route's own answer was held back; this one goes out
        await too_large(scope, self.max_body_bytes)(scope, _disconnected, answer.send)

    def _probe(self, path: str, caller: Caller) -> bool:
        """The probes are never told 429 (a keyed readiness call is an ordinary read)."""
        return path == LIVENESS or (path == READINESS and caller.presented is None)


class _Answer:
    """The one `send` of a request: adds the request id and the market data's source to the
    answer's start, notes its status, lets the limits learn a key the route authenticated, and
    holds the route's answer back once the body has overflowed (the layer answers 413)."""

    __slots__ = (
        "_caller",
        "_limits",
        "_scope",
        "_send",
        "guard",
        "request_id",
        "started",
        "status",
    )

    def __init__(
        self, send: Send, scope: Scope, request_id: str, limits: CallerLimits, caller: Caller
    ) -> None:
        self._send, self._scope = send, scope
        self._limits, self._caller = limits, caller
        self.request_id = request_id
        self.status = 500  # until an answer starts
        self.started = False
        self.guard: BodyGuard | None = None

    async def send(self, message: Message) -> None:
        if self.guard is not None and self.guard.exceeded and not self.started:
            return
        if message["type"] == "http.response.start":
            self.started = True
            self.status = message["status"]
            scope = self._scope
            self._limits.route_authenticated(self._caller, scope["state"])
            headers = [*message.get("headers", ()), (REQUEST_ID_HEADER, self.request_id.encode())]
            # Read as the answer starts: this very request may be the source's first answer.
            state = getattr(scope["app"].state, "app_state", None) if "app" in scope else None
            if state is not None:  # once the lifespan has started the gateway
                headers.append((_MARKET_SOURCE, state.gateway.client.source_kind.encode()))
            message = {**message, "headers": headers}
        await self._send(message)


def _head_only(send: Send) -> Send:
    """The `send` of a HEAD answered as a GET: the answer's start goes out as the GET's (its
    `Content-Length` included) and the answer ends there, its body left out. A route still
    running then (a stream) is told the client is gone by its next `receive`, as the ASGI spec
    has the server answer once a response is complete, and stops unread."""
    ended = False

    async def head_only(message: Message) -> None:
        nonlocal ended
        if message["type"] == "http.response.start" and not ended:
            ended = True
            await send(message)
            await send({"type": "http.response.body", "body": b"", "more_body": False})

    return head_only


async def _disconnected() -> Message:
    return {"type": "http.disconnect"}
