"""The fields a request body takes, as its route declares them: what a refusal lists so that the
caller can fix the request (an empty body names the fields it needs, an unknown field the ones
the body accepts)."""

from __future__ import annotations

import types
from collections.abc import Sequence
from typing import Any, Union, get_args, get_origin

from fastapi.routing import APIRoute
from pydantic import BaseModel


def body_model(route: object, path: Sequence[str | int] = ()) -> type[BaseModel] | None:
    """The model of `route`'s body at `path` (a validation error's location past `body`), or
    None where no model is (free JSON, a route without a body)."""
    if not isinstance(route, APIRoute) or route.body_field is None:
        return None
    current: Any = route.body_field.field_info.annotation
    for part in path:
        current = _step(current, part)
        if current is None:
            return None
    return _as_model(current)


def fields_taken(model: type[BaseModel]) -> str:
    """`model`'s fields as sent (aliases), the required ones first: "required: a, b; optional:
    c"."""
    required = [f.alias or n for n, f in model.model_fields.items() if f.is_required()]
    optional = [f.alias or n for n, f in model.model_fields.items() if not f.is_required()]
    parts = [
        f"{label}: {', '.join(names)}"
        for label, names in (("required", required), ("optional", optional))
        if names
    ]
    return "; ".join(parts) or "no fields"


def _members(annotation: Any) -> tuple[Any, ...]:
    if get_origin(annotation) in (Union, types.UnionType):
        return get_args(annotation)
    return (annotation,)


def _as_model(annotation: Any) -> type[BaseModel] | None:
    for member in _members(annotation):
        if isinstance(member, type) and issubclass(member, BaseModel):
            return member
    return None


def _step(annotation: Any, part: str | int) -> Any:
    """The annotation one location part further in, or None."""
    model = _as_model(annotation)
    if model is not None and isinstance(part, str):
        for name, field in model.model_fields.items():
            if part in (name, field.alias):
                return field.annotation
        return None
    for member in _members(annotation):
        origin, args = get_origin(member), get_args(member)
        if isinstance(part, int) and origin in (list, tuple, set, frozenset) and args:
            return args[0]
        if isinstance(part, str) and origin is dict and len(args) == 2:
            return args[1]
    return None
