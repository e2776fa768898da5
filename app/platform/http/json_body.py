"""JSON bodies read as numbers a double holds, with one value per key: `NaN`, `Infinity` and
`-Infinity` are no JSON (RFC 8259) though Python's parser takes them, `1e999` is JSON that
Python reads as infinity, and an integer past a double's range (or too long for Python to read:
4 300 digits) is one no figure of this API can hold. Any of them in a free-form field (a
signal's payload, a replay's overrides) would pass validation only for the database or the maths
to refuse it. A key given twice in one object (`{"direction": "BUY", "direction": "SELL"}`) is
JSON whose meaning RFC 8259 leaves to the parser (Python's keeps the last, others the first).
Every route parses its JSON body here, once (FastAPI reuses the result), and a body holding one
of them is a 422 naming the field (or key) before any validation runs. A body sent with a
`Content-Encoding` (gzip) is a 422 before a byte of it is read: the service undoes no coding,
and read as it came it would be no JSON, or not what its header says.

The route class reads a request in this order: its `Accept` (406,
`app.platform.http.negotiation`), the route's own checks (the API's: who is calling, then the
query, `app.platform.http.route_guard`), then its body. A client that hangs up before its body
has arrived raises Starlette's `ClientDisconnect` from here, whatever the body's type, for the
protection layer to record as a 499 (`app.platform.http.protection`).
"""

from __future__ import annotations

import contextlib
import json
import math
import sys
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from app.platform.http.negotiation import offered_media, refuse_unacceptable

NON_FINITE_MESSAGE = "NaN, Infinity and -Infinity are not JSON numbers"
OUT_OF_RANGE_MESSAGE = f"a number must lie within a double's range, ±{sys.float_info.max:.1e}"
ENCODED_MESSAGE = "send the body as plain JSON: this service undoes no `Content-Encoding`"
DUPLICATE_MESSAGE = "send each key of an object once"
# Python's parser recurses once a level, within the interpreter's limit (1 000 frames in all).
DEEP = "the body nests arrays or objects deeper than this service reads (several hundred levels)"
_MAX_DIGITS = len(str(int(sys.float_info.max)))  # 309: a longer integer is past the range


class _Refused:
    """Where the parser met what it refuses (kept for the error's input and message): a number,
    or an object with a key given twice (`key`, reported below its object)."""

    def __init__(
        self, text: str, message: str, code: str = "finite_number", key: str | None = None
    ) -> None:
        self.text = text if len(text) <= 40 else f"{text[:20]}…({len(text)} characters)"
        self.message = message
        self.code = code
        self.key = key


def refused_path(
    value: Any, path: tuple[str | int, ...] = ()
) -> tuple[tuple[str | int, ...], _Refused] | None:
    """The path to the first refused value in a parsed body, and what it was."""
    if isinstance(value, _Refused):
        return ((*path, value.key) if value.key is not None else path), value
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        found = refused_path(item, (*path, key))
        if found is not None:
            return found
    return None


def parse_json_body(body: bytes) -> Any:
    """The body parsed; RequestValidationError when it holds a number no double holds or an
    object with a key given twice. A body that is no JSON raises ValueError
    (json.JSONDecodeError, UnicodeDecodeError) or RecursionError."""
    met: list[_Refused] = []

    def refuse(text: str, message: str) -> _Refused:
        met.append(_Refused(text, message))
        return met[-1]

    def constant(name: str) -> Any:
        return refuse(name, f"{NON_FINITE_MESSAGE}: {name} is refused")

    def number(text: str) -> Any:
        value = float(text)
        if math.isinf(value):
            return refuse(text, f"{OUT_OF_RANGE_MESSAGE}: {text} is refused")
        return value

    def integer(text: str) -> Any:
        digits = len(text.lstrip("-"))
        if digits < _MAX_DIGITS or (digits == _MAX_DIGITS and abs(int(text)) <= sys.float_info.max):
            return int(text)
        return refuse(text, f"{OUT_OF_RANGE_MESSAGE}: an integer of {digits} digits is refused")

    def members(pairs: list[tuple[str, Any]]) -> Any:
        value = dict(pairs)
        if len(value) == len(pairs):  # the common case: one look at the lengths
            return value
        key = _first_repeated(pairs)
        message = f"{json.dumps(key)} is given more than once in its object: {DUPLICATE_MESSAGE}"
        met.append(_Refused(key, message, "duplicate_key", key))
        return met[-1]

    parsed = json.loads(
        body,
        object_pairs_hook=members,
        parse_constant=constant,
        parse_float=number,
        parse_int=integer,
    )
    if met:
        found = refused_path(parsed)
        path, refused = found if found is not None else ((), met[0])
        raise RequestValidationError(
            [
                {
                    "type": refused.code,
                    "loc": ("body", *path),
                    "msg": refused.message,
                    "input": refused.text,
                }
            ]
        )
    return parsed


def _first_repeated(pairs: list[tuple[str, Any]]) -> str:
    """The first key of `pairs` that an earlier one already gave."""
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            return key
        seen.add(key)
    raise ValueError("no key is repeated")


def _encoded(request: Request) -> str | None:
    """The body's `Content-Encoding` when it is one this service does not undo (any but
    `identity`): the bytes read would be compressed, never the JSON the client meant."""
    codings = [c.strip().lower() for c in request.headers.get("content-encoding", "").split(",")]
    return None if all(c in ("", "identity") for c in codings) else codings[0][:40]


def _reads_json(request: Request) -> bool:
    """FastAPI reads a body as JSON only with a JSON content type (strict content types)."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


RequestCheck = Callable[[Request], Awaitable[None]]
"""A route's check of a request before its body is read: raises the refusal, if any."""


class JsonBodyRoute(APIRoute):
    """A route that refuses an `Accept` taking none of its media types (406), then runs its
    `checks`, then reads its body, a JSON one by `parse_json_body` (every router of the API and
    `/metrics` use it)."""

    def checks(self) -> RequestCheck | None:
        """What this route checks of a request before its body is read (built once, as the
        route is); none here."""
        return None

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        offered, checks, has_body = offered_media(self), self.checks(), self.body_field is not None

        async def strict_json(request: Request) -> Response:
            refuse_unacceptable(request, offered)
            if checks is not None:
                await checks(request)
            if has_body and (coding := _encoded(request)) is not None:
                message = f"{ENCODED_MESSAGE} (this one came with `Content-Encoding: {coding}`)"
                error = {"type": "content_encoding", "loc": ("body",), "msg": message}
                raise RequestValidationError([error])
            if has_body:
                # Read here whatever its type (FastAPI reuses it): a client that hangs up
                # meanwhile is Starlette's ClientDisconnect, which FastAPI would answer 400.
                body = await request.body()
                # A body that is no JSON (or no UTF-8): FastAPI parses it again and answers it
                # as it answers any such body.
                with contextlib.suppress(ValueError):
                    if body and _reads_json(request):
                        try:
                            request._json = parse_json_body(body)  # Starlette's cache, reused
                        except RecursionError:
                            error = {"type": "json_too_deep", "loc": ("body",), "msg": DEEP}
                            raise RequestValidationError([error]) from None
            return await handler(request)

        return strict_json
