"""Query strings as the routes declare them: a parameter no route declares is a `422` (so an
ignored `&_=N` cannot make every read a cache miss), and the response cache's key holds the
declared parameters in one order whatever order they came in.

No route of the API takes free-form query parameters (each names its own, in its signature or
its dependencies); the dashboard's files, the interactive docs and `/metrics` are not API
routes and are not checked.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

# By endpoint function: its declared names come from its signature and its dependencies.
_declared: weakref.WeakKeyDictionary[Callable[..., Any], frozenset[str]] = (
    weakref.WeakKeyDictionary()
)


def declared_query(route: APIRoute) -> frozenset[str]:
    """The query parameter names `route` reads (aliases, as sent), its dependencies' included."""
    names = _declared.get(route.endpoint)
    if names is None:
        names = _declared[route.endpoint] = frozenset(_names(route.dependant))
    return names


def _names(dependant: Dependant) -> set[str]:
    names = {field.alias for field in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _names(sub)
    return names


async def refuse_unknown_query(request: Request) -> None:
    """A route guard: `422` (problem+json, each unknown name in `errors`) for a query parameter
    the route does not declare."""
    if not request.scope["query_string"]:
        return
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    declared = declared_query(route)
    unknown = [name for name in dict.fromkeys(request.query_params) if name not in declared]
    if unknown:
        allowed = ", ".join(sorted(declared)) or "none"
        message = f"unknown query parameter (this route takes: {allowed})"
        errors = [
            {"loc": ("query", name), "type": "extra_forbidden", "msg": message} for name in unknown
        ]
        raise RequestValidationError(errors)


def canonical_query(query_string: bytes) -> bytes:
    """`query_string` with its parameters ordered by name (the values of one name keep their
    order): one cache entry for one question, however its parameters were ordered."""
    if b"&" not in query_string:
        return query_string
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    return urlencode(sorted(pairs, key=lambda pair: pair[0])).encode("latin-1")
