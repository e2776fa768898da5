"""The OpenAPI document as the API answers: every error is `application/problem+json` with the
problem schema, every operation that reads the database documents its 503 (unreachable or
busy, with `Retry-After`), every one that takes a body its 413, every limited operation its 429,
every API operation its 422 (an unknown query parameter), every one that takes a key its 400
(different keys presented) and every one that answers with a body its 406 (an `Accept` taking
none of its media types), parameters are never `null` on the wire, and every model shows an
example."""

from __future__ import annotations

import copy
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.openapi.models import Schema
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from app.platform.core.environment_sections import ApiContactEnvironment
from app.platform.core.paths import LIVENESS, READINESS, SCRAPE
from app.platform.http.api_description import DESCRIPTION, TAGS, contact
from app.platform.http.problems import PROBLEM_CONTENT_TYPE
from app.platform.schemas.common import Problem
from app.platform.schemas.recorded import RECORDED

REF_TEMPLATE = "#/components/schemas/{model}"
PROBLEM_REF = {"$ref": REF_TEMPLATE.format(model="Problem")}
# Named by no route (see `problem_responses`), so written here as FastAPI writes a model's.
PROBLEM_SCHEMA = jsonable_encoder(
    Schema.model_validate(Problem.model_json_schema(ref_template=REF_TEMPLATE)),
    by_alias=True,
    exclude_none=True,
)
NO_DATABASE = {LIVENESS}  # paths whose answer never touches the database
OWN_503 = {READINESS}  # paths whose 503 is their own document (not ready), not a problem
UNAVAILABLE = {
    "description": "The database is unreachable (`database-unavailable`) or too busy to answer "
    "in time (`busy`), or the worker process computing the answer died twice under it "
    "(`worker-unavailable`); retry after `Retry-After` seconds.",
    "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds."}},
}
TOO_LARGE = {
    "description": "The request body is over `MYSYMBOLS_LIMITS__MAX_BODY_BYTES` "
    "(`content-too-large`); nothing was read or changed.",
}
UNLIMITED = {LIVENESS}  # paths no caller limit applies to
UNCHECKED_QUERY = {SCRAPE}  # paths outside the API routes (no query check)
RATE_LIMITED = {
    "description": "Too many requests (`rate-limited`): this caller's read, heavy-read or write "
    "limit on this replica is spent, it holds all the event streams it may, or the job it "
    "asks to run was requested moments ago (`limit`: `job_request`); retry after `Retry-After` "
    "seconds.",
    "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds."}},
}
INVALID = {
    "description": "Invalid input: a value out of range, or a query parameter the "
    "operation does not take."
}
CONFLICTING_CREDENTIALS = {
    "description": "Different API keys presented (`conflicting-credentials`): `X-API-Key` sent "
    "twice with different keys, or a key there and another as `Authorization: Bearer`; send one "
    "key (the same key in both is one key)."
}
NOT_ACCEPTABLE = {
    "description": "The request's `Accept` takes none of the media types this operation answers "
    "in (`not-acceptable`; its `acceptable` lists them). No `Accept`, or `*/*`, takes them all."
}
FASTAPI_VALIDATION = ("HTTPValidationError", "ValidationError")


def operation_id(route: APIRoute) -> str:
    """An operation's id is its route function's name (`get_portfolio`), unique across routers,
    so a generated client's methods read like the routes."""
    return route.name


def install_openapi(app: FastAPI, who: ApiContactEnvironment) -> None:
    """Replace `app.openapi` with the generator of the document described above, with the API's
    description and tags (`app.platform.http.api_description`) and `who` as its contact."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description=DESCRIPTION,
                routes=app.routes,
                tags=TAGS,
                contact=contact(who),
            )
            app.openapi_schema = as_served(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def as_served(document: dict[str, Any]) -> dict[str, Any]:
    for path, operations in document.get("paths", {}).items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                parameter["schema"] = _not_null(parameter.get("schema", {}))
            responses = operation.setdefault("responses", {})
            if path not in NO_DATABASE:
                responses.setdefault("503", dict(UNAVAILABLE))
            if "requestBody" in operation:
                responses.setdefault("413", dict(TOO_LARGE))
            if path not in UNLIMITED:
                responses.setdefault("429", dict(RATE_LIMITED))
            if path not in UNCHECKED_QUERY:
                responses.setdefault("422", dict(INVALID))
            if "security" in operation:  # it reads a key: the parser refuses different ones
                responses.setdefault("400", dict(CONFLICTING_CREDENTIALS))
            if any(s.startswith("2") and r.get("content") for s, r in list(responses.items())):
                responses.setdefault("406", dict(NOT_ACCEPTABLE))
            own_503 = path in OWN_503
            for status, response in responses.items():
                if status[0] in "45" and not (own_503 and status == "503"):
                    response["content"] = {PROBLEM_CONTENT_TYPE: {"schema": PROBLEM_REF}}
                    if response.get("description") in (None, "", "Validation Error"):
                        response["description"] = HTTPStatus(int(status)).phrase
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in FASTAPI_VALIDATION:  # 422 is a problem document too (with `errors`)
        schemas.pop(name, None)
    schemas["Problem"] = copy.deepcopy(PROBLEM_SCHEMA)
    document["components"]["schemas"] = dict(sorted(schemas.items()))
    schemas = document["components"]["schemas"]
    for name, example in RECORDED.items():  # whole, with the nulls FastAPI left out
        if name in schemas:
            schemas[name]["examples"] = [copy.deepcopy(example)]
    for schema in schemas.values():  # FastAPI writes the document without its `null`s
        for example in schema.get("examples", []):
            _restore_nulls(example, schema, schemas)
    return document


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query, path or header parameter is absent or has a value: `null` is no value it can
    take on the wire, so an optional one's schema is its value's."""
    options = schema.get("anyOf")
    if not options:
        return schema
    kept = [option for option in options if option.get("type") != "null"]
    if len(kept) == len(options):
        return schema
    rest = {k: v for k, v in schema.items() if k != "anyOf"}
    return {**rest, **kept[0]} if len(kept) == 1 else {**rest, "anyOf": kept}


def _restore_nulls(value: Any, schema: dict[str, Any], schemas: dict[str, Any]) -> None:
    """Put back the `null` of each required, nullable property an example lost."""
    while "$ref" in schema or "anyOf" in schema:  # `X | None`: X's schema
        if "anyOf" in schema:
            schema = next((o for o in schema["anyOf"] if o.get("type") != "null"), {})
            continue
        schema = schemas.get(schema["$ref"].rsplit("/", 1)[1], {})
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value and _nullable(properties.get(name, {})):
                value[name] = None
        for name, item in value.items():
            if name in properties:
                _restore_nulls(item, properties[name], schemas)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for item in value:
            _restore_nulls(item, schema["items"], schemas)


def _nullable(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "null" or any(
        option.get("type") == "null" for option in schema.get("anyOf", [])
    )
