"""The OpenAPI document's models as its tests read them: which models the operations name, and
what an example must hold beside what its schema requires (every field its answer has)."""

from __future__ import annotations

from typing import Any


def models_used(document: dict[str, Any], *, requests: bool = True) -> set[str]:
    """Component schemas a success response (and, with `requests`, a request body) names,
    directly or as items."""
    names = set()
    for by_method in document["paths"].values():
        for operation in by_method.values():
            contents = [operation.get("requestBody", {}).get("content", {})] if requests else []
            contents += [r.get("content", {}) for s, r in operation["responses"].items() if s < "4"]
            for content in contents:
                for media in content.values():
                    schema = media.get("schema", {})
                    ref = schema.get("$ref") or schema.get("items", {}).get("$ref")
                    if ref:
                        names.add(ref.rsplit("/", 1)[1])
    return names


def resolved(schema: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    """`schema` with its `$ref` followed and `X | None` taken as X."""
    while True:
        if "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
        elif len(options := [o for o in schema.get("anyOf", []) if o.get("type") != "null"]) == 1:
            schema = options[0]
        else:
            return schema


def nullable(schema: dict[str, Any]) -> bool:
    return any(o.get("type") == "null" for o in schema.get("anyOf", [schema]))


def fields_missing(
    value: Any, schema: dict[str, Any], schemas: dict[str, Any], at: str
) -> list[str]:
    """The properties `value` lacks, down its nested models: a `null` one may be left out (the
    document is written without its nulls), any other is in every answer."""
    schema = resolved(schema, schemas)
    missing = []
    if isinstance(value, dict) and "properties" in schema:
        for name, prop in schema["properties"].items():
            if name in value:
                missing += fields_missing(value[name], prop, schemas, f"{at}.{name}")
            elif not nullable(prop):
                missing.append(f"{at}.{name}")
    elif isinstance(value, dict) and isinstance(schema.get("additionalProperties"), dict):
        for key, item in value.items():
            missing += fields_missing(item, schema["additionalProperties"], schemas, f"{at}[{key}]")
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            missing += fields_missing(item, schema["items"], schemas, f"{at}[{i}]")
    return missing
