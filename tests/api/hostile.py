"""Hostile cases, generated from the OpenAPI document: for each operation, each of its inputs (a
path or query parameter, a body field at any depth, a key of a free-form object) set, alone, to
the extremes of its type in a request that is otherwise valid; each object of its valid body with
a key given twice (its first, at every depth); and, for an operation that takes a body, a client
that hangs up after the body's first byte.

A case knows whether it must be refused: a value its field's schema refuses (read with
jsonschema, so a bound the document gains is a bound the cases respect), a number beyond a
double's range, an integer too long to parse, a key given twice, or a query parameter the
operation does not declare. Any other case may be accepted, but never answered with a 5xx; a
hang-up is answered nothing at all.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import jsonschema

from tests.openapi_examples import resolved

HUGE = "9" * 5000  # past Python's 4300-digit limit: a valid JSON number no float holds
UNDECLARED = "hostile_probe"  # a query parameter no operation declares
# Where an undeclared query parameter is refused: the API's routes, not `/metrics` nor the docs
# (app/platform/http/query_params.py).
API_PREFIX = "/api/"
FREE_KEY = "hostile"  # the key a case adds to a free-form object
_MARK = "\u0000hostile\u0000"  # where a body's raw token goes, replaced after json.dumps

NUMBERS = {
    "+1e308": "1e308",
    "-1e308": "-1e308",
    "1e999": "1e999",
    "-2e400": "-2e400",
    "+5000 digits": HUGE,
    "-5000 digits": f"-{HUGE}",
}
FREE_TOKENS = {**NUMBERS, "string": '"1"'}
DATES = {
    "year 1 +14:00": "0001-01-01T00:00:00+14:00",
    "year 1 Z": "0001-12-31T00:00:00Z",
    "year 9999 -23:59": "9999-12-31T23:59:59-23:59",
}
# A JSON value of another type than the field's, per type.
WRONG_TYPES = {
    "number": {"string": '"1"', "object": "{}"},
    "integer": {"fraction": "1.5", "string": '"1"'},
    "string": {"number": "1", "array": "[]"},
    "boolean": {"string": '"true"', "number": "1"},
    "array": {"object": "{}"},
    "object": {"array": "[]"},
}
# A query parameter's text that is not of its type.
WRONG_TEXT = {"number": "one", "integer": "one", "boolean": "maybe"}
LATIN_1 = "€".encode().decode("latin-1")  # "â\x82¬": a server's reading of a UTF-8 header
DUPLICATE = "duplicate key"  # the label of a case giving a key twice in its object
HANG_UP = "hang-up"  # the label of a case whose client goes away after the body's first byte


@dataclass(frozen=True)
class Base:
    """A valid request of one operation: the walk's, or for an operation the walk does not send
    its method and path alone."""

    method: str
    template: str  # the document's path
    path_values: dict[str, str] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    body: Any = None


@dataclass(frozen=True)
class Case:
    """One hostile request: `base` with the input at `where` given `token`."""

    operation: str
    location: str  # "path", "query", "header" or "body"
    where: tuple[str | int, ...]
    label: str
    token: str  # raw JSON (body) or text (path, query, header)
    refused: bool  # must be answered 4xx
    free_key: bool = False  # a key of a free-form object

    @property
    def name(self) -> str:
        """How a report names the case."""
        at = ".".join(str(part) for part in self.where)
        return f"{self.operation} {self.location} {at} = {self.label}"

    @property
    def field_name(self) -> str:
        """The name a refusal must give: the innermost named part of `where`."""
        return next((str(part) for part in reversed(self.where) if isinstance(part, str)), "body")


def _is_refused(value: Any, schema: dict[str, Any], components: dict[str, Any]) -> bool:
    validator = jsonschema.Draft202012Validator({**schema, "components": {"schemas": components}})
    return not validator.is_valid(value)


def _body_refused(token: str, schema: dict[str, Any], components: dict[str, Any]) -> bool:
    """A body token is refused when it is no finite number, too long to parse, or refused by
    its field's schema."""
    try:
        value = json.loads(token)
    except ValueError:  # an integer past the digit limit
        return True
    if isinstance(value, float) and not math.isfinite(value):
        return True
    return _is_refused(value, schema, components)


def _text_refused(text: str, schema: dict[str, Any], components: dict[str, Any]) -> bool:
    """A path or query text is refused when it does not read as its type, reads as no finite
    number, or its value is refused by the parameter's schema."""
    kind = schema.get("type")
    value: Any = text
    try:
        if kind == "integer":
            value = int(text)
        elif kind == "number":
            value = float(text)
    except ValueError:
        return True
    if kind == "boolean":
        return text.lower() not in {"true", "false", "1", "0", "yes", "no", "on", "off"}
    if isinstance(value, float) and not math.isfinite(value):
        return True
    return _is_refused(value, schema, components)


def _leaf_tokens(schema: dict[str, Any]) -> dict[str, str]:
    """The extremes of a leaf's type, as raw JSON."""
    kind = schema.get("type")
    tokens: dict[str, str] = {}
    if kind in ("number", "integer"):
        tokens.update(NUMBERS)
    if kind == "string" and schema.get("format") == "date-time":
        tokens.update({label: json.dumps(date) for label, date in DATES.items()})
    if kind == "string" and "maxLength" in schema and "enum" not in schema:
        limit = schema["maxLength"]
        tokens["maxLength"] = json.dumps("a" * limit)
        tokens["maxLength+1"] = json.dumps("a" * (limit + 1))
    for wrong, token in WRONG_TYPES.get(str(kind), {}).items():
        tokens[f"{wrong} for {kind}"] = token
    return tokens


def _text_tokens(schema: dict[str, Any]) -> dict[str, str]:
    """The extremes of a parameter's type, as the text of a path or query."""
    kind = schema.get("type")
    texts: dict[str, str] = {}
    if kind in ("number", "integer"):
        texts.update(NUMBERS)
    if kind == "number":
        texts.update({"nan": "nan", "inf": "inf"})
    if kind == "integer":
        texts["fraction"] = "1.5"
    if kind == "string" and schema.get("format") == "date-time":
        texts.update(DATES)
    if kind == "string" and "maxLength" in schema and "enum" not in schema:
        texts["maxLength"] = "a" * schema["maxLength"]
        texts["maxLength+1"] = "a" * (schema["maxLength"] + 1)
    if kind == "string" and "pattern" in schema:
        texts["latin-1"] = LATIN_1  # what a server reads a header's UTF-8 bytes as
    if kind in ("number", "integer", "boolean"):
        texts[f"not {kind}"] = WRONG_TEXT[str(kind)]
    if "enum" in schema:
        texts["not in enum"] = "not-one-of-them"
    return texts


def _free_form(schema: dict[str, Any]) -> bool:
    """An object whose keys the document does not name (a payload, an override document)."""
    return schema.get("type") == "object" and "properties" not in schema


def known_keys(answers: Iterator[Any]) -> dict[str, list[str]]:
    """The keys the service's answers show under each name of an object (a component's
    `parameters`, say), which the same-named free-form field of a request may hold."""
    known: dict[str, list[str]] = {}
    stack = list(answers)
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for name, item in value.items():
                if isinstance(item, dict):
                    known[name] = list(dict.fromkeys([*known.get(name, []), *map(str, item)]))
            stack += value.values()
        elif isinstance(value, list):
            stack += value
    return known


def body_inputs(
    schema: dict[str, Any],
    components: dict[str, Any],
    base: Any,
    known: dict[str, list[str]],
    at: tuple[str | int, ...] = (),
) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any], bool]]:
    """Each input of a body: its path, its schema and whether it is a free-form object's key;
    nested objects, the first item of an array and the keys of a free-form object (those `base`
    holds, those `known` lists under its name, and one of its own) included."""
    schema = resolved(schema, components)
    if at:
        yield at, schema, False
    if schema.get("type") == "object" and "properties" in schema:
        values = base if isinstance(base, dict) else {}
        for name, prop in schema["properties"].items():
            yield from body_inputs(prop, components, values.get(name), known, (*at, name))
    elif schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        first = base[0] if isinstance(base, list) and base else None
        yield from body_inputs(schema["items"], components, first, known, (*at, 0))
    elif _free_form(schema) and at:
        patterns = list(schema.get("patternProperties", {}).values())
        items = schema.get("additionalProperties")
        item = patterns[0] if patterns else items if isinstance(items, dict) else {}
        if patterns:  # keys the object's pattern accepts
            keys = [*(base if isinstance(base, dict) else {}), "BTCUSDT"]
        else:
            shown = known.get(str(at[-1]), [])
            keys = [*(base if isinstance(base, dict) else {}), *shown, FREE_KEY]
        for key in dict.fromkeys(keys):
            yield (*at, key), item, True


def operation_cases(
    document: dict[str, Any],
    operation: dict[str, Any],
    base: Base,
    known: dict[str, list[str]] | None = None,
) -> list[Case]:
    """The hostile cases of one operation of `document`, from its `base` (`known`: the keys of
    free-form objects, by name, as `known_keys` reads them)."""
    components = document["components"]["schemas"]
    name = operation["operationId"]
    found = _parameter_cases(name, operation, components)
    if not base.template.startswith(API_PREFIX):
        found = [
            replace(case, refused=False) if case.label == "undeclared" else case for case in found
        ]
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if body is not None:
        found += _body_cases(name, body["schema"], components, base.body, known or {})
        found += _duplicate_cases(name, base.body)
        found.append(Case(name, "body", (), HANG_UP, "", refused=True))
    return found


def _duplicate_cases(name: str, body: Any) -> list[Case]:
    """Each object of the valid `body` (at any depth; an array's first item) with its first key
    given twice, the same value both times: refused, whatever the value."""
    found: list[Case] = []

    def visit(value: Any, at: tuple[str | int, ...]) -> None:
        if isinstance(value, dict) and value:
            key = next(iter(value))
            found.append(
                Case(name, "body", (*at, key), DUPLICATE, json.dumps(value[key]), refused=True)
            )
            for inner, item in value.items():
                visit(item, (*at, inner))
        elif isinstance(value, list) and value:
            visit(value[0], (*at, 0))

    visit(body, ())
    return found


def _parameter_cases(
    name: str, operation: dict[str, Any], components: dict[str, Any]
) -> list[Case]:
    found = [Case(name, "query", (UNDECLARED,), "undeclared", "1e999", refused=True)]
    for parameter in operation.get("parameters", []):
        if parameter["in"] not in ("path", "query", "header"):
            continue
        schema = resolved(parameter["schema"], components)
        for label, text in _text_tokens(schema).items():
            refused = _text_refused(text, schema, components)
            found.append(Case(name, parameter["in"], (parameter["name"],), label, text, refused))
    return found


def _body_cases(
    name: str,
    schema: dict[str, Any],
    components: dict[str, Any],
    base: Any,
    known: dict[str, list[str]],
) -> list[Case]:
    found = []
    for at, field_schema, free_key in body_inputs(schema, components, base, known):
        # A free-form key holds any JSON: its extremes are the numbers', and text for a number.
        tokens = FREE_TOKENS if free_key else _leaf_tokens(field_schema)
        for label, token in tokens.items():
            refused = _body_refused(token, field_schema, components)
            found.append(Case(name, "body", at, label, token, refused, free_key))
    return found


def request_of(
    case: Case, base: Base
) -> tuple[str, str, dict[str, str], dict[str, str], bytes | None]:
    """The case as a request: method, path, query, headers and raw JSON body (None: no body)."""
    values = dict(base.path_values)
    query = {key: str(value) for key, value in base.query.items()}
    headers = {}
    if case.location == "path":
        values[str(case.where[0])] = case.token
    elif case.location == "query":
        query[str(case.where[0])] = case.token
    elif case.location == "header":
        headers[str(case.where[0])] = case.token
    path = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "1"), base.template)
    body = None
    if case.label == DUPLICATE:  # `"key": value, "key": value`
        twice = f"{case.token}, {json.dumps(case.where[-1])}: {case.token}"
        body = _with_token(base.body, case.where, twice).encode()
    elif case.location == "body" and case.where:
        body = _with_token(base.body, case.where, case.token).encode()
    elif base.body is not None:
        body = json.dumps(base.body).encode()
    return base.method, path, query, headers, body


def _with_token(body: Any, where: tuple[str | int, ...], token: str) -> str:
    """`body` as JSON with the value at `where` replaced by the raw `token` (its parents made
    where `body` lacks them)."""
    root: Any = json.loads(json.dumps(body if body is not None else {}))
    holder = root
    for part, inner in itertools.pairwise(where):
        child = holder[part] if _holds(holder, part) else None
        if not isinstance(child, dict | list) or (isinstance(inner, int) and not child):
            child = [{}] if isinstance(inner, int) else {}
            holder[part] = child
        holder = child
    holder[where[-1]] = _MARK
    return json.dumps(root).replace(json.dumps(_MARK), token)


def _holds(holder: Any, part: str | int) -> bool:
    if isinstance(holder, list):
        return isinstance(part, int) and part < len(holder)
    return part in holder
