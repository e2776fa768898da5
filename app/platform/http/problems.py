"""Every failure rendered as RFC 9457 `application/problem+json`: the error tree's problems
(`app.platform.core.errors`), the framework's own errors and the database's failures."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.platform.core.errors import (
    PROBLEM_TYPE_PREFIX,
    AppError,
    ConflictError,
    DatabaseBusyError,
    DatabaseUnavailableError,
    ValidationFailedError,
)
from app.platform.core.patterns import words_for
from app.platform.db.failures import (
    DatabaseUnavailable,
    is_database_busy,
    is_database_unavailable,
    is_unstorable_text,
)
from app.platform.http.body_fields import body_model, fields_taken

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
MAX_LISTED_ERRORS = 20  # a 422 lists the first ones: an input with thousands stays a short answer


def problem_response(
    request: Request | None,
    status: int,
    slug: str,
    title: str,
    detail: str,
    *,
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """Render one problem document; every error path of the API ends here."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_PREFIX + slug,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if request is not None:
        body["instance"] = request.url.path
        request_id = getattr(request.state, "request_id", None)
        if request_id:
            body["request_id"] = request_id
    # Extension members never overwrite the standard ones (RFC 9457 section 3.2).
    body.update({k: v for k, v in (extra or {}).items() if k not in body and k != "instance"})
    return JSONResponse(
        body, status_code=status, headers=dict(headers or {}), media_type=PROBLEM_CONTENT_TYPE
    )


BODY_NOT_PARSED = "There was an error parsing the body"  # FastAPI's 400


def documented_paths(app: FastAPI) -> dict[str, set[str]]:
    """Each path template the OpenAPI document lists, with its operations' methods, read from
    the routes: building the document for a 405 would hold the event loop for half a second
    and keep some 9 MB that no other answer needs."""
    paths: dict[str, set[str]] = {}
    for route in iter_route_contexts(app.routes):  # as `get_openapi` walks them
        if isinstance(route.original_route, APIRoute) and route.include_in_schema:
            paths.setdefault(str(route.path_format), set()).update(route.methods or ())
    return paths


def allowed_methods(request: Request) -> list[str]:
    """The methods the API documents for this path: a fixed path (`/symbols/sync`) wins over a
    template that also matches it (`/symbols/{symbol}`), as OpenAPI reads them, and of the
    templates that match, the most literal (`/symbols/{symbol}/category` over
    `/symbols/{symbol}`, whose parameter may hold a slash); HEAD wherever GET is."""
    paths = documented_paths(request.app)
    path = request.url.path
    if path in paths:
        return _with_head(paths[path])
    matching: dict[str, set[str]] = {}
    for template, methods in paths.items():
        pattern = re.sub(r"\\\{[^}]+\\\}", ".+", re.escape(template))
        if re.fullmatch(pattern, path):
            matching[template] = methods
    literal = {template: len(re.sub(r"\{[^}]+\}", "", template)) for template in matching}
    most = max(literal.values(), default=0)
    return _with_head({m for t, methods in matching.items() if literal[t] == most for m in methods})


def _with_head(methods: set[str]) -> list[str]:
    """The protection layer answers HEAD wherever GET is, undocumented
    (`app.platform.http.protection`)."""
    return sorted(methods | {"HEAD"} if "GET" in methods else methods)


def _status_slug(status: int) -> tuple[str, str]:
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    return phrase.lower().replace(" ", "-").replace("'", ""), phrase


def error_response(request: Request | None, error: AppError) -> JSONResponse:
    """An error the API answers on purpose, as its problem document."""
    return problem_response(
        request,
        error.status,
        error.slug,
        error.title,
        error.detail,
        extra=error.extra,
        headers=error.headers,
    )


def install_error_handlers(app: FastAPI, *, retry_after_s: int) -> None:
    """Register the handlers that turn every failure into problem+json."""

    @app.exception_handler(AppError)
    async def handle_app_error(request: Request, exc: AppError) -> JSONResponse:
        return error_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def handle_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "field": _field_name(err),
                "location": err["loc"][0] if err["loc"] else "body",
                "message": _plain_message(err, request),
                "code": _code(err),
            }
            for err in exc.errors()
        ]
        first = errors[0] if errors else {"field": "request", "message": "invalid"}
        listed: dict[str, Any] = {"errors": errors[:MAX_LISTED_ERRORS]}
        if len(errors) > MAX_LISTED_ERRORS:
            listed["errors_not_listed"] = len(errors) - MAX_LISTED_ERRORS
        detail = f"{first['field']}: {first['message']}"
        return error_response(request, ValidationFailedError(detail, extra=listed))

    @app.exception_handler(StarletteHTTPException)
    async def handle_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400 and exc.detail == BODY_NOT_PARSED:  # not JSON: invalid input
            error = {
                "field": "body",
                "location": "body",
                "message": "not a JSON document",
                "code": "json_invalid",
            }
            not_json = ValidationFailedError("body: not a JSON document", extra={"errors": [error]})
            return error_response(request, not_json)
        slug, title = _status_slug(exc.status_code)
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else None
        if detail is None:
            detail = {
                404: f"No route matches {request.url.path}",
                405: f"{request.method} is not allowed on {request.url.path}",
            }.get(exc.status_code, title)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request))
        return problem_response(request, exc.status_code, slug, title, detail, headers=headers)

    @app.exception_handler(sa_exc.IntegrityError)
    async def handle_integrity(request: Request, exc: sa_exc.IntegrityError) -> JSONResponse:
        logger.warning("database refused a write: %s", exc.orig)
        refused = "The database refused the change because it would break an invariant."
        return error_response(request, ConflictError(refused))

    async def handle_database_down(request: Request, exc: Exception) -> JSONResponse:
        if is_unstorable_text(exc):
            unstorable = ValidationFailedError(
                "the request holds a character that cannot be stored (NUL, or half of a "
                "UTF-16 surrogate pair); nothing was changed"
            )
            return error_response(request, unstorable)
        if is_database_busy(exc):
            logger.warning("database busy: %s", str(exc).splitlines()[0][:200])
            busy = DatabaseBusyError(
                "The database could not serve this in time (a lock, a statement or a "
                "connection wait ran out); retry shortly.",
                retry_after_s=retry_after_s,
            )
            return error_response(request, busy)
        if not is_database_unavailable(exc):
            return await handle_unexpected(request, exc)
        logger.warning("database unavailable: %s", exc.__class__.__name__)
        down = DatabaseUnavailableError(
            "The database is unreachable; retry shortly.", retry_after_s=retry_after_s
        )
        return error_response(request, down)

    # Only the database layer's own failures: an OSError or a TimeoutError raised anywhere else
    # (a file, an outbound call) is a fault of ours, a 500 with its id in the log.
    for exc_class in (sa_exc.DBAPIError, sa_exc.TimeoutError, DatabaseUnavailable):
        app.add_exception_handler(exc_class, handle_database_down)


async def handle_unexpected(request: Request, exc: Exception) -> JSONResponse:
    """A bug: log it with its traceback and the request's id, answer a bare 500 that reveals
    nothing but that id (`request_id`, to find the log line)."""
    request_id = getattr(request.state, "request_id", None)
    logger.error(
        "unhandled error on %s %s (request %s)",
        request.method,
        request.url.path,
        request_id,
        exc_info=exc,
    )
    return error_response(request, AppError("An unexpected error occurred; it has been logged."))


def _field_name(err: Mapping[str, Any]) -> str:
    """`("query", "limit")` -> `limit`: the location is reported separately. A body that is not
    JSON is the body's fault: its decoder's position is not a field."""
    loc = tuple(err["loc"])
    if err["type"] == "json_invalid":
        return "body"
    return ".".join(str(part) for part in loc[1:]) or (str(loc[0]) if loc else "body")


def _code(err: Mapping[str, Any]) -> str:
    """Pydantic's code, but `content_type` for a body sent without a JSON content type."""
    return "content_type" if _not_json(err) else str(err["type"])


def _not_json(err: Mapping[str, Any]) -> bool:
    """FastAPI hands the validator a body's bytes when its content type is not JSON."""
    return tuple(err["loc"]) == ("body",) and isinstance(err.get("input"), bytes)


SEND_JSON = "send the body as JSON, with `Content-Type: application/json`"


def _plain_message(err: Mapping[str, Any], request: Request | None = None) -> str:
    """The validator's message, in words a caller can act on where pydantic's are not: a body
    that is not JSON says where it stops being JSON, a body sent as something else says to send
    JSON, an empty body and an unknown field list the fields the body takes, a symbol it cannot
    read lists the forms."""
    context = err.get("ctx") or {}
    loc = tuple(err["loc"])
    if err["type"] == "json_invalid":
        where = loc[1] if len(loc) > 1 else None
        at = f" at character {where}" if isinstance(where, int) else ""
        return f"the body is not valid JSON{at}: {context.get('error', 'cannot be parsed')}"
    if _not_json(err):
        sent = request.headers.get("content-type") if request is not None else None
        came = f"`Content-Type: {sent[:60]}`" if sent else "no `Content-Type`"
        return f"{SEND_JSON} (this one came with {came})"
    if loc[:1] == ("body",):
        at_body = len(loc) == 1
        route = request.scope.get("route") if request is not None else None
        model = body_model(route, loc[1:] if at_body else loc[1:-1])
        if model is not None and err["type"] == "missing" and at_body:
            return f"the body is empty: {SEND_JSON}, an object of {fields_taken(model)}"
        if model is not None and err["type"] == "extra_forbidden":
            return f"unknown field (this object takes {fields_taken(model)})"
        if model is not None and at_body and err["type"] in ("model_type", "model_attributes_type"):
            return f"the body must be a JSON object, of {fields_taken(model)}"
    if err["type"] == "string_pattern_mismatch" and (words := words_for(context.get("pattern"))):
        return words
    return str(err["msg"]).removeprefix("Value error, ")  # pydantic's prefix says nothing
