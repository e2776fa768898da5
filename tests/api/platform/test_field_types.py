"""One JSON type per field: a field's name has the same JSON type in every schema of the OpenAPI
document (a weight is a number in `/portfolio`, `/pairlist`, the timeline and the algorithms
alike), and every figure (money, prices, weights, sizes, scores) is a JSON number, in answers and
in request bodies (docs/api.md, "Types")."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

# Fields whose type is not this API's choice.
EXEMPT = {
    ("Problem", "status"): "RFC 9457 fixes a problem's status as the HTTP status code, a number",
    ("SettingRead", "default"): "a runtime setting's default has the setting's own type",
    ("SettingRead", "value"): "a runtime setting's value has the setting's own type",
    ("WhatIf", "config_hash"): "stored what-if documents keep both runs' hashes under this name",
}


@pytest.fixture
def schemas(openapi_document: dict[str, Any]) -> dict[str, Any]:
    return dict(openapi_document["components"]["schemas"])


def json_type(schema: dict[str, Any], schemas: dict[str, Any]) -> str | None:
    """The JSON type a value of `schema` has (`null` aside; None: any type)."""
    if "$ref" in schema:
        return json_type(schemas[schema["$ref"].rsplit("/", 1)[-1]], schemas)
    if "anyOf" in schema or "oneOf" in schema:
        kinds = {json_type(s, schemas) for s in schema.get("anyOf", schema.get("oneOf", []))}
        kinds.discard("null")
        return "|".join(sorted(k or "any" for k in kinds)) if kinds else "null"
    if "const" in schema and "type" not in schema:
        return type(schema["const"]).__name__
    kind = schema.get("type")
    if kind is None and "enum" in schema:
        return "string" if all(isinstance(v, str) for v in schema["enum"]) else None
    if kind is None and "properties" in schema:
        return "object"
    return str(kind) if kind is not None else None


def types_by_field(schemas: dict[str, Any]) -> dict[str, dict[str, set[str]]]:
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for name, schema in schemas.items():
        for field, prop in schema.get("properties", {}).items():
            if (name, field) in EXEMPT:
                continue
            kind = json_type(prop, schemas)
            if kind is not None:
                found[field][kind].add(name)
    return found


def test_every_field_has_one_json_type_across_the_document(schemas: dict[str, Any]) -> None:
    mixed = {
        field: {kind: sorted(names) for kind, names in kinds.items()}
        for field, kinds in types_by_field(schemas).items()
        if len(kinds) > 1
    }
    assert mixed == {}


@pytest.mark.parametrize(
    "field",
    [
        "weight",
        "entry_price",
        "current_price",
        "mark_price",
        "total_weight",
        "target_weight",
        "weight_pct",
        "account_balance",
        "notional_usdt",
        "lot_size",
        "tick_size",
        "multiplier",
        "strength",
        "confidence",
        "pnl_since_inclusion",
        "max_drawdown",
        "score",
    ],
)
def test_figures_are_json_numbers(schemas: dict[str, Any], field: str) -> None:
    kinds = types_by_field(schemas)[field]
    assert set(kinds) == {"number"}, kinds


def test_the_exemptions_name_fields_that_exist(schemas: dict[str, Any]) -> None:
    for name, field in EXEMPT:
        assert field in schemas[name]["properties"], (name, field)
