"""Every failure answers RFC 9457 problem+json, without leaking internals."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.callers.models import ApiKey
from app.main import create_app
from app.platform.core.environment import Environment
from app.platform.core.patterns import words_for
from app.platform.http.problems import documented_paths
from app.platform.schemas.common import SYMBOL_HELP
from app.signals.models import Signal
from tests.conftest import ADMIN_KEY, start_app
from tests.helpers import assert_problem

SIGNAL = {
    "source": "curl",
    "signal_type": "PROBE",
    "direction": "BUY",
    "strength": 0.5,
    "confidence": 0.5,
}


async def count(session: AsyncSession, model: type[Any]) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


class TestRoutingErrors:
    async def test_unknown_route_is_404_problem(self, client: httpx.AsyncClient) -> None:
        body = assert_problem(await client.get("/api/symbol-mgmt/nope"), 404, "not-found")
        assert "/api/symbol-mgmt/nope" in str(body["detail"])

    async def test_wrong_method_is_405_problem_with_allow(self, client: httpx.AsyncClient) -> None:
        response = await client.delete("/api/symbol-mgmt/health")
        assert_problem(response, 405, "method-not-allowed")
        assert response.headers["allow"] == "GET, HEAD"

    async def test_allow_lists_the_methods_of_every_route_on_the_path(
        self, client: httpx.AsyncClient
    ) -> None:
        # POST /symbols/sync is the documented operation of this path, though the template
        # GET /symbols/{symbol} matches it too: the fixed path wins, as OpenAPI reads them.
        response = await client.delete("/api/symbol-mgmt/symbols/sync")
        assert_problem(response, 405, "method-not-allowed")
        assert response.headers["allow"] == "POST"
        other = await client.delete("/api/symbol-mgmt/symbols/BTCUSDT")
        assert other.headers["allow"] == "GET, HEAD"
        patch = await client.patch("/api/symbol-mgmt/scoring/algorithms")
        assert_problem(patch, 405, "method-not-allowed")
        assert patch.headers["allow"] == "GET, HEAD, PUT"

    async def test_a_405_does_not_build_the_openapi_document(
        self, app: FastAPI, client: httpx.AsyncClient
    ) -> None:
        """Building it holds the event loop for half a second and keeps some 9 MB."""
        response = await client.delete("/api/symbol-mgmt/symbols/BTCUSDT")

        assert response.headers["allow"] == "GET, HEAD"
        assert app.openapi_schema is None

    def test_the_routes_give_each_path_the_methods_the_document_lists(
        self, app: FastAPI, openapi_document: dict[str, Any]
    ) -> None:
        documented = {
            path: {method.upper() for method in operations}
            for path, operations in openapi_document["paths"].items()
        }
        assert documented_paths(app) == documented

    @pytest.mark.parametrize(
        "method, path",
        [
            ("GET", "/api/symbol-mgmt/scoring/runs/368626848652328"),
            ("DELETE", "/api/symbol-mgmt/api-keys/2082748866996326367232"),
            ("GET", "/api/symbol-mgmt/signals/14567316870488"),
            ("GET", "/api/symbol-mgmt/jobs/runs/2147483648"),
            ("GET", "/api/symbol-mgmt/replays/0"),
            ("GET", "/api/symbol-mgmt/symbols?offset=9223372036854775808"),
            ("GET", "/api/symbol-mgmt/events?since=99999999999"),
        ],
    )
    async def test_a_number_past_its_column_range_is_422_not_500(
        self, client: httpx.AsyncClient, method: str, path: str
    ) -> None:
        response = await client.request(method, path, headers={"X-API-Key": ADMIN_KEY})
        assert_problem(response, 422, "validation-error")

    @pytest.mark.parametrize(
        "path", ["/api/symbol-mgmt/replays/{}", "/api/symbol-mgmt/replays/{}/timeline"]
    )
    async def test_an_id_too_long_for_int_is_422_naming_it(
        self, client: httpx.AsyncClient, path: str
    ) -> None:
        # 5 000 digits: past CPython's int() limit, where Starlette's own convertor raised.
        response = await client.get(path.format("9" * 5000), headers={"X-API-Key": ADMIN_KEY})
        body = assert_problem(response, 422, "validation-error")
        assert [e["field"] for e in body["errors"]] == ["run_id"]

    @pytest.mark.parametrize(
        ("method", "path", "name"),
        [
            ("GET", "/api/symbol-mgmt/scoring/runs/{}", "run_id"),
            ("GET", "/api/symbol-mgmt/replays/{}/timeline", "run_id"),
            ("DELETE", "/api/symbol-mgmt/api-keys/{}", "key_id"),
            ("GET", "/api/symbol-mgmt/signals/{}", "signal_id"),
            ("GET", "/api/symbol-mgmt/jobs/runs/{}", "run_id"),
            ("POST", "/api/symbol-mgmt/alerts/{}/ack", "alert_id"),
        ],
    )
    async def test_a_negative_id_gets_the_answer_zero_gets(
        self, client: httpx.AsyncClient, method: str, path: str, name: str
    ) -> None:
        """`/scoring/runs/-1` was a 404 "No route" while `/scoring/runs/0` was a 422: one answer
        for an id out of the ids' range, naming the parameter and what it must be."""
        answers = []
        for row_id in ("-1", "0", "-" + "9" * 30):
            response = await client.request(
                method, path.format(row_id), headers={"X-API-Key": ADMIN_KEY}
            )
            body = assert_problem(response, 422, "validation-error")
            [error] = body["errors"]
            assert (error["field"], error["location"]) == (name, "path")
            answers.append(error["message"])
        assert answers[0] == answers[1], answers


class TestValidationErrors:
    async def test_names_the_offending_field(self, client: httpx.AsyncClient) -> None:
        response = await client.post(
            "/api/symbol-mgmt/api-keys",
            json={"name": "engine", "role": "superuser"},
            headers={"X-API-Key": ADMIN_KEY},
        )
        body = assert_problem(response, 422, "validation-error")
        assert body["errors"] == [
            {
                "field": "role",
                "location": "body",
                "message": "Input should be 'read', 'trade' or 'admin'",
                "code": "enum",
            }
        ]
        assert str(body["detail"]).startswith("role:")

    async def test_malformed_json_is_422(self, client: httpx.AsyncClient) -> None:
        response = await client.post(
            "/api/symbol-mgmt/api-keys",
            content=b"{not json",
            headers={"X-API-Key": ADMIN_KEY, "content-type": "application/json"},
        )
        body = assert_problem(response, 422, "validation-error")
        assert body["errors"] == [
            {
                "field": "body",
                "location": "body",
                "message": "the body is not valid JSON at character 1: "
                "Expecting property name enclosed in double quotes",
                "code": "json_invalid",
            }
        ]
        assert str(body["detail"]).startswith("body: the body is not valid JSON at character 1")

    @pytest.mark.parametrize("symbol", ["BTC_USDT", "BTC USDT", "BTC//USDT"])
    async def test_a_symbol_it_cannot_read_lists_the_accepted_forms(
        self, client: httpx.AsyncClient, symbol: str
    ) -> None:
        response = await client.post(
            "/api/symbol-mgmt/portfolio/add-symbol",
            json={"symbol": symbol},
            headers={"X-API-Key": ADMIN_KEY},
        )
        body = assert_problem(response, 422, "validation-error")
        [error] = body["errors"]  # type: ignore[misc]
        assert error["field"] == "symbol" and error["code"] == "string_pattern_mismatch"
        assert error["message"] == f"not a symbol the service can read. {SYMBOL_HELP}"
        assert "BTC/USDT:USDT" in error["message"] and "[" not in error["message"]

    @pytest.mark.parametrize(
        ("method", "path", "body", "field", "words"),
        [
            ("get", "/jobs/runs?job=Score-Refresh", None, "job", "lowercase letters and under"),
            ("get", "/symbols?quote=U5", None, "quote", "currency code of 2 to 10 letters"),
            ("post", "/api-keys", {"name": "a/b", "role": "read"}, "name", "letters, digits"),
            ("post", "/replays", {"every": "fortnightly"}, "every", "hours or days from 1 to"),
            ("post", "/signals", {"source": "a\x00b"}, "source", "NUL character"),
        ],
        ids=["job", "quote", "key-name", "every", "nul"],
    )
    async def test_a_value_a_pattern_refuses_is_told_in_words_not_the_regex(
        self,
        client: httpx.AsyncClient,
        method: str,
        path: str,
        body: dict[str, object] | None,
        field: str,
        words: str,
    ) -> None:
        """pydantic's message was the regex: "String should match pattern '^[a-z_]+$'"."""
        response = await client.request(
            method.upper(),
            f"/api/symbol-mgmt{path}",
            json=body,
            headers={"X-API-Key": ADMIN_KEY},
        )
        body_read = assert_problem(response, 422, "validation-error")
        refused = [e for e in body_read["errors"] if e["field"] == field]  # type: ignore[union-attr]
        assert [e["code"] for e in refused] == ["string_pattern_mismatch"], body_read
        assert refused[0]["message"].startswith(("must ", "not ")), refused
        assert words in refused[0]["message"] and "should match" not in refused[0]["message"]

    def test_every_pattern_of_the_document_has_its_words(
        self, openapi_document: dict[str, Any]
    ) -> None:
        """A pattern added without words would answer with its regex."""

        def patterns(node: object) -> list[str]:
            if isinstance(node, dict):
                own = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
                return own + [p for value in node.values() for p in patterns(value)]
            if isinstance(node, list):
                return [p for value in node for p in patterns(value)]
            return []

        found = set(patterns(openapi_document))
        assert len(found) >= 8, found
        assert sorted(p for p in found if words_for(p) is None) == []

    async def test_unknown_body_field_is_refused_listing_the_fields_the_body_takes(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        """It said "Extra inputs are not permitted", and no more."""
        keys = await count(session, ApiKey)
        response = await client.post(
            "/api/symbol-mgmt/api-keys",
            json={"name": "engine", "role": "read", "admin": True},
            headers={"X-API-Key": ADMIN_KEY},
        )
        body = assert_problem(response, 422, "validation-error")
        assert body["errors"] == [
            {
                "field": "admin",
                "location": "body",
                "message": "unknown field (this object takes required: name, role)",
                "code": "extra_forbidden",
            }
        ]
        assert await count(session, ApiKey) == keys

    async def test_an_unknown_field_of_a_nested_object_lists_that_object_s_fields(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.put(
            "/api/symbol-mgmt/scoring/algorithms",
            json={"algorithms": [{"name": "technical", "wieght": 0.3}]},
            headers={"X-API-Key": ADMIN_KEY},
        )
        body = assert_problem(response, 422, "validation-error")
        assert [(e["field"], e["message"]) for e in body["errors"]] == [  # type: ignore[attr-defined]
            (
                "algorithms.0.wieght",
                "unknown field (this object takes required: name; "
                "optional: weight, parameters, is_active)",
            )
        ]

    @pytest.mark.parametrize(
        "content_type",
        [None, "application/x-www-form-urlencoded", "text/plain", "application/xml"],
        ids=["none", "curl -d", "text", "xml"],
    )
    async def test_a_json_body_sent_as_another_type_says_to_send_application_json(
        self, client: httpx.AsyncClient, session: AsyncSession, content_type: str | None
    ) -> None:
        """curl's `-d` alone got "Input should be a valid dictionary or object to extract fields
        from"."""
        headers = {"X-API-Key": ADMIN_KEY}
        if content_type is not None:
            headers["content-type"] = content_type
        response = await client.post(
            "/api/symbol-mgmt/signals", content=json.dumps(SIGNAL).encode(), headers=headers
        )
        body = assert_problem(response, 422, "validation-error")
        [error] = body["errors"]  # type: ignore[misc]
        assert (error["field"], error["code"]) == ("body", "content_type")
        assert error["message"].startswith(
            "send the body as JSON, with `Content-Type: application/json` (this one came with "
        )
        assert (content_type or "no `Content-Type`") in error["message"]
        assert str(body["detail"]).startswith("body: send the body as JSON")
        assert await count(session, Signal) == 0

    async def test_an_empty_body_names_the_fields_it_needs(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        """It said "body: Field required"."""
        for headers in ({}, {"content-type": "application/json"}):
            response = await client.post(
                "/api/symbol-mgmt/signals", headers={"X-API-Key": ADMIN_KEY, **headers}
            )
            body = assert_problem(response, 422, "validation-error")
            [error] = body["errors"]  # type: ignore[misc]
            assert (error["field"], error["code"]) == ("body", "missing")
            assert error["message"] == (
                "the body is empty: send the body as JSON, with `Content-Type: "
                "application/json`, an object of required: source, signal_type, direction, "
                "strength, confidence; optional: symbol, timeframe, payload, expires_at"
            )
        assert await count(session, Signal) == 0

    async def test_a_body_that_is_no_object_names_the_fields_it_takes(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.post(
            "/api/symbol-mgmt/api-keys", json=["engine", "read"], headers={"X-API-Key": ADMIN_KEY}
        )
        body = assert_problem(response, 422, "validation-error")
        assert body["errors"][0]["message"] == (  # type: ignore[index]
            "the body must be a JSON object, of required: name, role"
        )

    async def test_an_empty_body_still_needs_its_key_first(self, client: httpx.AsyncClient) -> None:
        assert_problem(await client.post("/api/symbol-mgmt/signals"), 401, "unauthenticated")


class TestUnexpectedErrors:
    @pytest.fixture
    async def failing_client(
        self, database_url: str, make_environment: Callable[..., Environment]
    ) -> AsyncIterator[httpx.AsyncClient]:
        app: FastAPI = create_app(make_environment(database_url))

        @app.get("/boom")
        async def boom() -> None:
            raise RuntimeError("secret internal detail /etc/passwd")

        async for client in start_app(app):
            yield client

    async def test_answers_500_problem_without_traceback(
        self, failing_client: httpx.AsyncClient
    ) -> None:
        response = await failing_client.get("/boom")
        body = assert_problem(response, 500, "internal-error")
        assert "secret" not in response.text
        assert "Traceback" not in response.text
        assert "RuntimeError" not in response.text
        assert body["detail"] == "An unexpected error occurred; it has been logged."

    async def test_logs_the_error_with_its_traceback_server_side(
        self, failing_client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
    ) -> None:
        response = await failing_client.get("/boom")
        logged = [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]
        assert len(logged) == 1, [r.getMessage() for r in caplog.records]
        record = logged[0]
        assert record.getMessage().startswith("unhandled error on GET /boom")
        assert record.exc_info is not None
        error_type, error, traceback = record.exc_info
        assert error_type is RuntimeError and traceback is not None
        assert str(error) == "secret internal detail /etc/passwd"
        formatted = logging.Formatter().formatException(record.exc_info)
        assert formatted.startswith("Traceback (most recent call last):")
        assert 'raise RuntimeError("secret internal detail /etc/passwd")' in formatted
        assert "secret internal detail" not in response.text


class TestOSErrorOutsideTheDatabase:
    @pytest.fixture
    async def file_failing_client(
        self, database_url: str, make_environment: Callable[..., Environment]
    ) -> AsyncIterator[httpx.AsyncClient]:
        app: FastAPI = create_app(make_environment(database_url))

        @app.get("/read-a-file")
        async def read_a_file() -> None:
            raise FileNotFoundError(2, "No such file", "/srv/secret/report.csv")

        async for client in start_app(app):
            yield client

    async def test_is_a_500_with_an_id_the_log_has_not_a_database_outage(
        self, file_failing_client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
    ) -> None:
        response = await file_failing_client.get("/read-a-file")
        body = assert_problem(response, 500, "internal-error")
        assert "/srv/secret" not in response.text and "retry-after" not in response.headers
        error_id = body["request_id"]
        assert error_id == response.headers["x-request-id"]
        logged = [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]
        assert len(logged) == 1 and str(error_id) in logged[0].getMessage()
        assert logged[0].exc_info is not None and logged[0].exc_info[0] is FileNotFoundError


class TestTheDatabaseReallyDown:
    @pytest.fixture
    async def down_client(
        self, make_environment: Callable[..., Environment]
    ) -> AsyncIterator[httpx.AsyncClient]:
        # Nothing listens on port 9: every connection attempt is refused (an OSError).
        url = "postgresql+asyncpg://postgres@127.0.0.1:9/nowhere"
        environment = make_environment(url, database={"connect_timeout_s": 0.5})
        async for client in start_app(create_app(environment)):
            yield client

    async def test_a_database_read_is_503_database_unavailable(
        self, down_client: httpx.AsyncClient
    ) -> None:
        response = await down_client.get(
            "/api/symbol-mgmt/api-keys", headers={"X-API-Key": ADMIN_KEY}
        )
        assert_problem(response, 503, "database-unavailable")
        assert response.headers["retry-after"] == "5"


class TestRequestId:
    async def test_echoes_a_sane_client_request_id(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/api/symbol-mgmt/health", headers={"X-Request-ID": "abc-123"})
        assert response.headers["x-request-id"] == "abc-123"

    async def test_replaces_an_unsafe_request_id(self, client: httpx.AsyncClient) -> None:
        response = await client.get(
            "/api/symbol-mgmt/health", headers={"X-Request-ID": "bad id\twith spaces"}
        )
        assert response.headers["x-request-id"] != "bad id\twith spaces"
        assert len(response.headers["x-request-id"]) == 32
