"""JSON bodies read as JSON is written: `NaN`, `Infinity` and `-Infinity` are no JSON (RFC 8259)
though Python's parser takes them, and a non-finite number in a free-form field (a signal's
payload) would pass validation only for the database to refuse it. Every route parses its JSON
body here, once (FastAPI reuses the result), and a body holding one is a 422 naming the field
before any validation runs.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

NON_FINITE_MESSAGE = "NaN, Infinity and -Infinity are not JSON numbers"


class _NonFinite:
    """Where the parser met one of the three names (kept for the error's input)."""

    def __init__(self, name: str) -> None:
        self.name = name


def non_finite_path(
    value: Any, path: tuple[str | int, ...] = ()
) -> tuple[tuple[str | int, ...], str] | None:
    """The path to the first non-finite constant in a parsed body, and its name."""
    if isinstance(value, _NonFinite):
        return path, value.name
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        found = non_finite_path(item, (*path, key))
        if found is not None:
            return found
    return None


def parse_json_body(body: bytes) -> Any:
    """The body parsed; RequestValidationError when it holds a non-finite number. A body that is
    no JSON raises ValueError (json.JSONDecodeError, UnicodeDecodeError) or RecursionError."""
    met: list[_NonFinite] = []

    def constant(name: str) -> _NonFinite:
        met.append(_NonFinite(name))
        return met[-1]

    parsed = json.loads(body, parse_constant=constant)
    if met:
        found = non_finite_path(parsed)
        path, name = found if found is not None else ((), met[0].name)
        raise RequestValidationError(
            [
                {
                    "type": "finite_number",
                    "loc": ("body", *path),
                    "msg": f"{NON_FINITE_MESSAGE}: {name} is refused",
                    "input": name,
                }
            ]
        )
    return parsed


def _reads_json(request: Request) -> bool:
    """FastAPI reads a body as JSON only with a JSON content type (strict content types)."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


class JsonBodyRoute(APIRoute):
    """A route whose JSON body is parsed by `parse_json_body` (every router of the API uses it)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict_json(request: Request) -> Response:
            if self.body_field is not None and _reads_json(request):
                body = await request.body()
                # A body that is no JSON (or no UTF-8, or nested past the parser's depth):
                # FastAPI parses it again and answers it as it answers any such body.
                with contextlib.suppress(ValueError, RecursionError):
                    if body:
                        request._json = parse_json_body(body)  # Starlette's cache, reused
            return await handler(request)

        return strict_json
