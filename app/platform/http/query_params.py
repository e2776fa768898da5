"""Query strings as the routes declare them: a parameter no route declares is a `422` (so an
ignored `&_=N` cannot make every read a cache miss), and the response cache's key holds the
parameters in one order whatever order they came in.

No route of the API takes free-form query parameters (each names its own, in its signature or
its dependencies); the dashboard's files, the interactive docs and `/metrics` are not API
routes and are not checked. What each route declares is read once, at start-up
(`app.platform.http.route_guard`).
"""

from __future__ import annotations

from collections.abc import Iterable

from fastapi._compat.shared import field_annotation_is_sequence
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute


def declared_query(route: APIRoute) -> frozenset[str]:
    """The query parameter names `route` reads (aliases, as sent), its dependencies' included."""
    return frozenset(_names(route.dependant))


def _names(dependant: Dependant, *, lists_only: bool = False) -> set[str]:
    names = {
        field.alias
        for field in dependant.query_params
        if not lists_only or field_annotation_is_sequence(field.field_info.annotation)
    }
    for sub in dependant.dependencies:
        names |= _names(sub, lists_only=lists_only)
    return names


def repeatable_query(route: APIRoute) -> frozenset[str]:
    """The query parameter names of `route` that take a list: any other sent twice is a `422`
    (FastAPI reads the last of them, so `?wait=true&wait=5` would pass as `wait=5`)."""
    return frozenset(_names(route.dependant, lists_only=True))


def refuse_repeated(names: list[str], repeatable: frozenset[str]) -> None:
    """`422` for a single-valued query parameter sent more than once."""
    repeated = sorted({n for n in names if n not in repeatable and names.count(n) > 1})
    if repeated:
        errors = [
            {"loc": ("query", name), "type": "extra_forbidden", "msg": "sent more than once"}
            for name in repeated
        ]
        raise RequestValidationError(errors)


def refuse_unknown(names: Iterable[str], declared: frozenset[str]) -> None:
    """`422` (problem+json, each unknown name in `errors`) for a query parameter name the route
    does not declare."""
    unknown = [name for name in dict.fromkeys(names) if name not in declared]
    if unknown:
        allowed = ", ".join(sorted(declared)) or "none"
        message = f"unknown query parameter (this route takes: {allowed})"
        errors = [
            {"loc": ("query", name), "type": "extra_forbidden", "msg": message} for name in unknown
        ]
        raise RequestValidationError(errors)


def canonical_query(query_string: bytes) -> bytes:
    """`query_string` with its parameters ordered by name (the values of one name keep their
    order): one cache entry for one question, however its parameters were ordered. The pairs
    stay as sent (no decoding): a question spelt two ways is two entries, never one for two
    questions."""
    if b"&" not in query_string:
        return query_string
    pairs: list[bytes] = query_string.split(b"&")
    pairs.sort(key=_name)  # stable: the values of one name keep their order
    return b"&".join(pairs)


def _name(pair: bytes) -> bytes:
    return pair.partition(b"=")[0]
