"""NaN, Infinity and -Infinity are no JSON, and `1e999`, `-2e400` or an integer of hundreds or
thousands of digits are numbers no double holds: every route taking a body refuses one with a 422
naming the field before anything reads it (a NaN in a signal's payload once reached PostgreSQL's
JSONB and came back as a 500; `1e999` did the same, and 5 000 digits were "not a JSON
document"). A query parameter that is a number is finite too."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.lab.models import ReplayRun
from app.platform.http.json_body import DEEP, NON_FINITE_MESSAGE, OUT_OF_RANGE_MESSAGE
from app.scoring.models import ScoringConfigChange
from app.signals.models import Signal
from tests.conftest import ADMIN_KEY
from tests.helpers import assert_problem

ADMIN = {"X-API-Key": ADMIN_KEY, "content-type": "application/json"}
CONSTANTS = ["NaN", "Infinity", "-Infinity"]
# Past a double's range: Python reads the first two as infinity without the constant hook seeing
# them, and cannot read the last as an integer at all (more than 4 300 digits).
OUT_OF_RANGE = ["1e999", "-2e400", "1" + "0" * 309, "-" + "9" * 400, "9" * 5000]


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


async def test_every_write_route_refuses_a_number_past_a_double(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    for method, path, field in write_routes(document):
        for number in OUT_OF_RANGE:
            response = await client.request(
                method, path, content=f'{{"{field}": {number}}}', headers=ADMIN
            )
            problem = assert_problem(response, 422, "validation-error")
            [error] = problem["errors"]
            assert (error["field"], error["code"]) == (field, "finite_number"), (method, path)
            assert OUT_OF_RANGE_MESSAGE in problem["detail"]
            assert len(response.content) < 2000  # the input is named, not echoed whole


@pytest.mark.parametrize("constant", CONSTANTS + OUT_OF_RANGE)
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


async def test_a_replay_override_holding_one_is_refused_and_starts_nothing(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    for number in ("1e999", "-2e400"):
        body = (
            '{"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z", '
            f'"overrides": {{"scoring": {{"weights": {{"technical": {number}}}}}}}}}'
        )
        response = await client.post("/api/symbol-mgmt/replays", content=body, headers=ADMIN)
        problem = assert_problem(response, 422, "validation-error")
        assert problem["errors"][0]["field"] == "overrides.scoring.weights.technical"
    assert await session.scalar(select(func.count()).select_from(ReplayRun)) == 0


async def test_an_algorithm_parameter_holding_one_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    algorithms = "/api/symbol-mgmt/scoring/algorithms"
    before = (await client.get(algorithms, headers=ADMIN)).json()
    changes = await session.scalar(select(func.count()).select_from(ScoringConfigChange))
    body = '{"algorithms": [{"name": "technical", "parameters": {"volatility_window": 1e999}}]}'
    response = await client.put(algorithms, content=body, headers=ADMIN)
    problem = assert_problem(response, 422, "validation-error")
    assert problem["errors"][0]["field"] == "algorithms.0.parameters.volatility_window"
    assert (await client.get(algorithms, headers=ADMIN)).json() == before
    assert await session.scalar(select(func.count()).select_from(ScoringConfigChange)) == changes


async def test_the_extremes_a_double_holds_are_kept(client: httpx.AsyncClient) -> None:
    body = (
        '{"source": "probe", "signal_type": "PROBE", "direction": "BUY", "strength": 0.5, '
        '"confidence": 0.5, "payload": {"a": 1.7976931348623157e308, "b": -1e308, '
        f'"c": {"1" + "0" * 307}, "d": 5e-324}}}}'
    )
    response = await client.post("/api/symbol-mgmt/signals", content=body, headers=ADMIN)
    assert response.status_code == 201, response.text
    stored = await client.get(f"/api/symbol-mgmt/signals/{response.json()['id']}", headers=ADMIN)
    # JSONB keeps numbers as decimals, and writes 1e308 back with its 309 digits: the same double.
    payload = {k: float(v) for k, v in stored.json()["payload"].items()}
    assert payload == {"a": 1.7976931348623157e308, "b": -1e308, "c": 1e307, "d": 5e-324}


@pytest.mark.parametrize("number", ["nan", "NaN", "inf", "-inf", "1e999", "-2e400"])
@pytest.mark.parametrize(
    ("path", "name"),
    [("/portfolio/metrics", "level"), ("/portfolio/position-size", "account_balance")],
)
async def test_a_number_in_a_query_is_finite(
    client: httpx.AsyncClient, path: str, name: str, number: str
) -> None:
    """Each was refused as out of its bounds, `nan` as "less than or equal to" one."""
    params = {name: number, "symbol": "BTCUSDT"} if name == "account_balance" else {name: number}
    response = await client.get(f"/api/symbol-mgmt{path}", params=params, headers=ADMIN)
    problem = assert_problem(response, 422, "validation-error")
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [(name, "finite_number")]


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


async def test_a_body_nested_past_the_parser_is_said_so(client: httpx.AsyncClient) -> None:
    """Well-formed JSON 1 000 levels deep was "not a JSON document"."""
    body = b"[" * 1000 + b"]" * 1000
    response = await client.post("/api/symbol-mgmt/signals", content=body, headers=ADMIN)
    problem = assert_problem(response, 422, "validation-error")
    assert [(e["field"], e["code"], e["message"]) for e in problem["errors"]] == [
        ("body", "json_too_deep", DEEP)
    ]
