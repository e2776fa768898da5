"""NaN, Infinity and -Infinity are no JSON: every route taking a body refuses one with a 422 naming
the field before anything reads it (a NaN in a signal's payload once reached PostgreSQL's JSONB
and came back as a 500)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.json_body import NON_FINITE_MESSAGE
from app.db.models import Signal
from tests.conftest import ADMIN_KEY
from tests.helpers import assert_problem

ADMIN = {"X-API-Key": ADMIN_KEY, "content-type": "application/json"}
CONSTANTS = ["NaN", "Infinity", "-Infinity"]


def write_routes(document: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Each operation with a JSON body: method, path (parameters filled in) and a field of it."""
    schemas = document["components"]["schemas"]
    routes = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is None:
                continue
            schema = body["schema"]
            if "$ref" in schema:
                schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
            field = next(iter(schema["properties"]))
            filled = path
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    kind = parameter["schema"].get("type")
                    value = "1" if kind == "integer" else "BTCUSDT"
                    filled = filled.replace("{" + parameter["name"] + "}", value)
            routes.append((method.upper(), filled, field))
    return routes


async def test_every_write_route_refuses_a_non_finite_number(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    routes = write_routes(document)
    assert len(routes) >= 10  # the signals, portfolio, scoring, config, replays, keys writes
    for method, path, field in routes:
        for constant in CONSTANTS:
            response = await client.request(
                method, path, content=f'{{"{field}": {constant}}}', headers=ADMIN
            )
            problem = assert_problem(response, 422, "validation-error")
            [error] = problem["errors"]
            assert (error["field"], error["code"]) == (field, "finite_number"), (method, path)
            assert NON_FINITE_MESSAGE in problem["detail"]


@pytest.mark.parametrize("constant", CONSTANTS)
async def test_a_signal_payload_holding_one_is_refused_and_stores_nothing(
    client: httpx.AsyncClient, session: AsyncSession, constant: str
) -> None:
    body = (
        '{"source": "probe", "signal_type": "PROBE", "direction": "BUY", "strength": 0.5, '
        f'"confidence": 0.5, "payload": {{"a": [1, {{"b": {constant}}}]}}}}'
    )
    response = await client.post("/api/symbol-mgmt/signals", content=body, headers=ADMIN)
    problem = assert_problem(response, 422, "validation-error")
    assert problem["errors"][0]["field"] == "payload.a.1.b"
    assert await session.scalar(select(func.count()).select_from(Signal)) == 0


async def test_the_same_text_inside_a_string_is_plain_text(client: httpx.AsyncClient) -> None:
    body = (
        '{"source": "NaN", "signal_type": "PROBE", "direction": "BUY", "strength": 0.5, '
        '"confidence": 0.5, "payload": {"note": "Infinity"}}'
    )
    response = await client.post("/api/symbol-mgmt/signals", content=body, headers=ADMIN)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    "body",
    [b"\r\xff\xfe1\x80", b'{"symbol": "\xe9"}', b"[" * 100_000, b'{"symbol": "BTCUSDT"'],
    ids=["not UTF-8", "latin-1 text", "nested past the parser", "cut off"],
)
async def test_a_body_that_is_no_json_is_a_4xx_not_a_500(
    client: httpx.AsyncClient, body: bytes
) -> None:
    response = await client.post(
        "/api/symbol-mgmt/portfolio/remove-symbol", content=body, headers=ADMIN
    )
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"] == "application/problem+json"
