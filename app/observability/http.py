"""Every HTTP answer counted (route template, method, status, latency) and logged as one line.

Outside the response cache, so answers served from it count too. The route is the matched
route's template (`/api/symbol-mgmt/symbols/{symbol}`), never the raw path; a path no route
matches is `unmatched`, so probing clients cannot grow the label set.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.observability.metrics import observe_request

logger = logging.getLogger("app.access")

UNMATCHED = "unmatched"
MAX_KNOWN_PATHS = 4096
QUIET_ROUTES = ("/health", "/status", "/metrics")  # probes and scrapes: logged at DEBUG
_REQUEST_ID = b"x-request-id"


class RequestMetricsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._templates: dict[str, str] = {}  # path → template, for answers served before routing

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status, request_id = 500, ""

        async def observe(message: Message) -> None:
            nonlocal status, request_id
            if message["type"] == "http.response.start":
                status = message["status"]
                for name, value in message.get("headers", []):
                    if name == _REQUEST_ID:
                        request_id = value.decode("latin-1")
            await send(message)

        try:
            await self.app(scope, receive, observe)
        finally:
            seconds = time.perf_counter() - started
            route = self._route(scope)
            observe_request(scope["method"], route, status, seconds)
            level = logging.DEBUG if route.endswith(QUIET_ROUTES) else logging.INFO
            logger.log(
                level,
                "%s %s %d %.1f ms",
                scope["method"],
                route,
                status,
                seconds * 1000,
                extra={
                    "request_id": request_id,
                    "method": scope["method"],
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 3),
                },
            )

    def _route(self, scope: Scope) -> str:
        path: str = scope["path"]
        route = scope.get("route")
        template = _template(route, path) if route is not None else None
        if template is None:  # answered before routing (the response cache), or no route
            return self._templates.get(path, UNMATCHED)
        self._templates.pop(path, None)  # most recent last: the oldest goes first
        self._templates[path] = template
        if len(self._templates) > MAX_KNOWN_PATHS:
            del self._templates[next(iter(self._templates))]
        return template


def _template(route: Any, path: str) -> str | None:
    """The matched route's template with the prefix it was included under (FastAPI keeps the
    route's own path; the prefix is the literal part of `path` before what the route matched)."""
    regex, path_format = getattr(route, "path_regex", None), getattr(route, "path_format", None)
    if regex is None or not isinstance(path_format, str):
        return None
    for at, char in enumerate(path):
        if char == "/" and regex.match(path[at:]):
            return path[:at] + path_format
    return None
