"""The pure layer's report shapes as API schemas: a `TypedDict` of `app/stats`,
`app/books/simulation` or `app/lab/calibration` declared once there, read by pydantic here.

`api_shape` copies its fields (types and attribute docstrings, the field descriptions) into a
`typing_extensions.TypedDict` under the API's component name and description: pydantic reads
only those on Python 3.11, and the pure packages import nothing but the standard library."""

from __future__ import annotations

import ast
import inspect
import textwrap
from typing import Annotated, Any, NotRequired, cast, get_type_hints

from pydantic import ConfigDict, Field, with_config
from typing_extensions import TypedDict


def field_docs(shape: type) -> dict[str, str]:
    """The attribute docstrings of `shape`'s own fields: a string right under the field."""
    body = ast.parse(textwrap.dedent(inspect.getsource(shape))).body[0]
    assert isinstance(body, ast.ClassDef)
    return {
        field.target.id: inspect.cleandoc(doc.value.value)
        for field, doc in zip(body.body, body.body[1:], strict=False)
        if isinstance(field, ast.AnnAssign)
        and isinstance(field.target, ast.Name)
        and isinstance(doc, ast.Expr)
        and isinstance(doc.value, ast.Constant)
        and isinstance(doc.value.value, str)
    }


def api_shape(
    shape: type, name: str, description: str | None = None, config: ConfigDict | None = None
) -> Any:
    """`shape`'s fields as the API's `name` schema, described by `description` (if any)."""
    docs = field_docs(shape)
    required: frozenset[str] = cast(Any, shape).__required_keys__
    fields = {}
    for key, hint in get_type_hints(shape).items():
        described = Annotated[hint, Field(description=docs[key])] if key in docs else hint
        fields[key] = described if key in required else NotRequired[described]
    api = TypedDict(name, fields)  # type: ignore[misc]  # built from `shape`'s fields
    api.__doc__ = description
    api.__module__ = shape.__module__
    return with_config(config or ConfigDict())(api)
