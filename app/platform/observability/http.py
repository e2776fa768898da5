"""Every HTTP answer counted (route template, method, status, latency) and logged as one line.

The protection layer (`app.platform.http.protection`) records each answer once it is over, answers
served from the response cache included. The route is the matched route's template
(`/api/symbol-mgmt/symbols/{symbol}`), never the raw path; a path no route matches is
`unmatched`, so probing clients cannot grow the label set.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from typing import Any

from starlette.types import Scope

from app.platform.core.log import RecordTemplate
from app.platform.observability.metrics import observe_request

logger = logging.getLogger("app.access")

UNMATCHED = "unmatched"
MAX_KNOWN_PATHS = 4096


class AnsweredRequests:
    """Counts and logs answers; knows the templates of the paths it has seen routed, for the
    answers given before routing (the response cache's, a refusal's). The `quiet` routes (the
    probes and the scrape) are logged at DEBUG."""

    def __init__(self, quiet: Collection[str]) -> None:
        self._quiet = frozenset(quiet)
        self._templates: dict[str, str] = {}  # path → template, the most recent last
        self._lines = {
            level: RecordTemplate(logger, level, "%s %s %d %.1f ms")
            for level in (logging.INFO, logging.DEBUG)
        }

    def record(self, scope: Scope, status: int, seconds: float, request_id: str) -> None:
        """One answer to `scope`, `status` after `seconds`: counted, timed and logged."""
        method = scope["method"]
        route = self._route(scope)
        observe_request(method, route, status, seconds)
        duration_ms = seconds * 1000
        line = self._lines[logging.DEBUG if route in self._quiet else logging.INFO]
        line.log(
            (method, route, status, duration_ms),
            {
                "request_id": request_id,
                "method": method,
                "route": route,
                "status": status,
                "duration_ms": round(duration_ms, 3),
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
