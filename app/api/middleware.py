"""Pure ASGI middleware: a request id on every request, a last-resort problem+json 500, and the
market-data source on every answer."""

from __future__ import annotations

import logging
import re
import uuid

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.problems import problem_response
from app.core.errors import AppError
from app.core.log import bound

logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "x-request-id"
MARKET_SOURCE_HEADER = "X-Market-Data-Source"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class RequestContextMiddleware:
    """Tag each request with an id (client's if sane, else new) and never leak a traceback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = incoming_request_id(scope) or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            with bound(request_id=request_id):  # on every record logged while it is answered
                await self.app(scope, receive, send_with_id)
        except Exception:
            logger.exception(
                "unhandled error on %s %s (request %s)", scope["method"], scope["path"], request_id
            )
            if response_started:
                raise
            response = problem_response(
                Request(scope),
                500,
                AppError.slug,
                AppError.title,
                "An unexpected error occurred; it has been logged.",
            )
            await response(scope, receive, send_with_id)


def incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == REQUEST_ID_HEADER.encode():
            candidate = value.decode("latin-1")
            return candidate if _SAFE_REQUEST_ID.match(candidate) else None
    return None


class MarketSourceMiddleware:
    """Name the market-data source (`live`, `simulator`, `custom`) on every answer, cached or
    not, so no client takes simulated prices for KuCoin's."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = getattr(scope["app"].state, "app_state", None)

        async def send_with_source(message: Message) -> None:
            if message["type"] == "http.response.start" and state is not None:
                kind = state.gateway.client.source_kind
                headers = [*message.get("headers", []), (b"x-market-data-source", kind.encode())]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_source)
