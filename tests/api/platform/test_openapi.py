"""The OpenAPI document a client generator reads: valid OpenAPI 3.1; every error documented as
problem+json with the problem schema; every database operation with its 503; every request and
response model with an example that its own schema accepts; every parameter's constraints."""

from __future__ import annotations

import re
from typing import Any

import httpx
import jsonschema
import pytest
from openapi_spec_validator import validate

from tests.openapi_examples import models_used

DOCUMENT = "/openapi.json"
PROBLEM = {"$ref": "#/components/schemas/Problem"}


@pytest.fixture
def document(openapi_document: dict[str, Any]) -> dict[str, Any]:
    return openapi_document


async def test_the_app_serves_the_document(
    client: httpx.AsyncClient, document: dict[str, Any]
) -> None:
    response = await client.get(DOCUMENT)
    assert response.status_code == 200
    assert response.json() == document


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, by_method in document["paths"].items()
        for method, operation in by_method.items()
    ]


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_error_is_a_problem_document(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        for status, response in operation["responses"].items():
            if (path, status) == ("/api/symbol-mgmt/status", "503"):  # not ready: its document
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Status"}
            elif status[0] in "45":
                assert response["content"] == {"application/problem+json": {"schema": PROBLEM}}, (
                    f"{method} {path} {status}"
                )
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_every_operation_but_liveness_documents_its_503(document: dict[str, Any]) -> None:
    without = [f"{m} {p}" for m, p, op in operations(document) if "503" not in op["responses"]]
    assert without == ["GET /api/symbol-mgmt/health"]


def test_every_model_shows_an_example_its_schema_accepts(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    used = models_used(document)
    missing = sorted(n for n in used if not schemas[n].get("examples"))
    assert missing == []
    resolver_root = {"components": document["components"]}
    for name in sorted(used):
        schema = {**schemas[name], "components": resolver_root["components"]}
        for example in schemas[name]["examples"]:
            jsonschema.Draft202012Validator(schema).validate(example)
    print(f"\n{len(used)} request and response models, each with a valid example")


def test_parameters_carry_the_constraints_the_server_enforces(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        for parameter in operation.get("parameters", []):
            schema = parameter["schema"]
            assert schema.get("type") != "null" and "anyOf" not in schema, (method, path)
            if schema.get("type") == "integer":
                assert "maximum" in schema, f"{method} {path} {parameter['name']} unbounded"
            if parameter["name"] == "symbol":
                assert "pattern" in schema and schema["maxLength"] == 40


def test_operation_ids_are_the_route_functions_names(document: dict[str, Any]) -> None:
    ids = [operation["operationId"] for _, _, operation in operations(document)]
    assert len(ids) == len(set(ids)), "operation ids are unique across routers"
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", i) for i in ids), ids
    assert not [i for i in ids if "api_symbol_mgmt" in i or i.endswith(("_get", "_post"))]
    by_route = {(m, p): op["operationId"] for m, p, op in operations(document)}
    assert by_route["GET", "/api/symbol-mgmt/portfolio"] == "get_portfolio"
    assert by_route["POST", "/api/symbol-mgmt/portfolio/replace-symbol"] == "replace_symbol"
    assert by_route["GET", "/api/symbol-mgmt/jobs/runs/{run_id}"] == "get_job_run"


def test_every_operation_taking_a_body_documents_its_413(document: dict[str, Any]) -> None:
    without = [
        f"{m} {p}"
        for m, p, op in operations(document)
        if "requestBody" in op and "413" not in op["responses"]
    ]
    assert without == []


def unbounded_collections(
    schema: dict[str, Any], schemas: dict[str, Any], seen: set[str]
) -> list[str]:
    """The names of the maps and lists among `schema`'s properties (and its models' properties)
    without a `maxProperties` or `maxItems`."""
    unbounded = []
    for name, prop in schema.get("properties", {}).items():
        for each in prop.get("anyOf", [prop]):
            if each.get("type") == "array" and "maxItems" not in each:
                unbounded.append(name)
            is_map = each.get("type") == "object" and "properties" not in each
            if is_map and "maxProperties" not in each:
                unbounded.append(name)
            for ref in (each.get("$ref"), each.get("items", {}).get("$ref")):
                model = ref.rsplit("/", 1)[1] if ref else None
                if model is not None and model not in seen:
                    seen.add(model)
                    unbounded += unbounded_collections(schemas[model], schemas, seen)
    return unbounded


def test_every_map_and_list_of_a_request_is_bounded(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    unbounded = {}
    for method, path, operation in operations(document):
        for media in operation.get("requestBody", {}).get("content", {}).values():
            ref = media.get("schema", {}).get("$ref")
            if ref:
                model = ref.rsplit("/", 1)[1]
                found = unbounded_collections(schemas[model], schemas, {model})
                if found:
                    unbounded[f"{method} {path}"] = found
    assert unbounded == {}


def test_the_example_keys_say_they_are_examples(document: dict[str, Any]) -> None:
    """A key in the document must not look like one someone could have leaked: every `msk_`
    string shown (keys, public ids) is an `msk_example…`."""
    shown = re.findall(r"msk_[A-Za-z0-9_-]+", str(document["components"]["schemas"]))
    assert shown, "the document shows no example key"
    assert all(key.startswith("msk_example") for key in shown), shown
    created = document["components"]["schemas"]["ApiKeyCreated"]["examples"][0]
    assert created["key"].startswith(created["prefix"] + "_")
