"""The examples `/docs` shows are current: every recorded example file is shown by its model,
and every example of an answer carries each field the answer always has (a field added to a
response model without its example fails here; `test_openapi` checks each against its schema)."""

from __future__ import annotations

from typing import Any

import pytest

from app.platform.schemas.recorded import EXAMPLES_DIR, RECORDED
from tests.openapi_examples import fields_missing, models_used


@pytest.fixture
def document(openapi_document: dict[str, Any]) -> dict[str, Any]:
    return openapi_document


@pytest.fixture
def schemas(document: dict[str, Any]) -> dict[str, Any]:
    return dict(document["components"]["schemas"])


def test_every_recorded_example_is_shown_by_its_model(schemas: dict[str, Any]) -> None:
    files = {path.stem for path in EXAMPLES_DIR.glob("*.json")}
    assert files == set(RECORDED)
    assert [name for name in sorted(files) if name not in schemas] == []
    for name in sorted(files):
        assert schemas[name]["examples"] == [RECORDED[name]], name


def test_every_example_of_an_answer_has_its_fields(
    document: dict[str, Any], schemas: dict[str, Any]
) -> None:
    missing = [
        field
        for name in sorted(models_used(document, requests=False))
        for example in schemas[name].get("examples", [])
        for field in fields_missing(example, schemas[name], schemas, name)
    ]
    assert missing == []


def test_a_field_added_to_an_answer_is_missing_from_its_example() -> None:
    schema = {"properties": {"a": {"type": "integer"}, "b": {"type": "string"}}}
    assert fields_missing({"a": 1}, schema, {}, "Model") == ["Model.b"]
    nested = {"items": {"$ref": "#/components/schemas/Model"}}
    assert fields_missing([{"b": "x"}], nested, {"Model": schema}, "List") == ["List[0].a"]
    optional = {"properties": {"a": {"anyOf": [{"type": "integer"}, {"type": "null"}]}}}
    assert fields_missing({}, optional, {}, "Model") == []
