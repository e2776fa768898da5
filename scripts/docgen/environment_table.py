"""Every variable of the environment (`app.platform.core.environment.Environment`), as Markdown
tables: the variable, its default, its type and bounds, and its meaning (the field's docstring
in the source)."""

from __future__ import annotations

import ast
import inspect
import itertools
import textwrap
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import annotated_types
from pydantic import BaseModel, SecretStr
from pydantic.fields import FieldInfo

from app.platform.core.environment import Environment
from scripts.docgen.cells import cell

PREFIX = "MYSYMBOLS_"


class Undocumented(ValueError):
    """A variable without a docstring: every variable says what it means."""


@dataclass(frozen=True)
class EnvVariable:
    variable: str
    default: str
    kind: str
    meaning: str


def field_docstrings(model: type[BaseModel]) -> dict[str, str]:
    """Each field's attribute docstring (the string literal right after it), joined to a line."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(model)))
    body = tree.body[0].body  # type: ignore[attr-defined]
    found: dict[str, str] = {}
    for node, following in itertools.pairwise(body):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            found[node.target.id] = " ".join(following.value.value.split())
    return found


def groups(model: type[BaseModel] = Environment) -> Iterator[tuple[str, list[EnvVariable]]]:
    """(group name, its variables): the top-level ones first (group ""), then each nested model."""
    top: list[EnvVariable] = []
    nested: list[tuple[str, list[EnvVariable]]] = []
    docs = field_docstrings(model)
    for name, field in model.model_fields.items():
        group = _model_of(field.annotation)
        if group is not None:
            nested.append((name, list(_variables(group, f"{PREFIX}{name.upper()}__"))))
        else:
            top.append(_variable(f"{PREFIX}{name.upper()}", name, field, docs))
    yield "", top
    yield from nested


def _variables(model: type[BaseModel], prefix: str) -> Iterator[EnvVariable]:
    docs = field_docstrings(model)
    for name, field in model.model_fields.items():
        yield _variable(f"{prefix}{name.upper()}", name, field, docs)


def _variable(variable: str, name: str, field: FieldInfo, docs: dict[str, str]) -> EnvVariable:
    if name not in docs:
        raise Undocumented(
            f"{variable}: give the field `{name}` a docstring in app/platform/core/environment.py "
            "(a nested group's: environment_sections.py)"
        )
    default = field.get_default(call_default_factory=True)
    return EnvVariable(variable, _default(default), _kind(field), docs[name])


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _default(value: Any) -> str:
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, list):
        return f"`{','.join(str(v) for v in value)}`" if value else "empty"
    if value == "":
        return "empty"
    return f"`{value}`"


def _kind(field: FieldInfo) -> str:
    """The type as the environment gives it, with its bounds."""
    kind = _type_name(field.annotation)
    bounds = [_bound(m) for m in field.metadata]
    return ", ".join([kind, *(b for b in bounds if b)])


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, types.UnionType):
        optional = len(args) < len(typing.get_args(annotation))
        return _type_name(args[0]) + (" or unset" if optional and len(args) == 1 else "")
    if origin is list:
        item = args[0]
        if _model_of(item) is not None:
            return "comma-separated `role:key` pairs"
        return "comma-separated list"
    if annotation is SecretStr:
        return "secret"
    names = {bool: "boolean", int: "integer", float: "number", str: "string"}
    return names.get(annotation, str(annotation))


def _bound(metadata: Any) -> str | None:
    for kind, sign in (
        (annotated_types.Ge, "≥"),
        (annotated_types.Gt, ">"),
        (annotated_types.Le, "≤"),
        (annotated_types.Lt, "<"),
    ):
        if isinstance(metadata, kind):
            return f"{sign} {getattr(metadata, kind.__name__.lower())}"
    if isinstance(metadata, annotated_types.MinLen):
        return f"at least {metadata.min_length} characters"
    return None


def markdown() -> str:
    """One table per group, the top-level variables first."""
    out: list[str] = []
    for name, variables in groups():
        title = "Top level" if not name else f"`{PREFIX}{name.upper()}__*`"
        out += [f"### {title}", "", "| variable | default | type | meaning |"]
        out.append("| --- | --- | --- | --- |")
        for s in variables:
            meaning = cell(s.meaning)
            out.append(f"| `{s.variable}` | {s.default} | {s.kind} | {meaning} |")
        out.append("")
    return "\n".join(out)
