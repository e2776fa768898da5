"""406 Not Acceptable: a request whose `Accept` takes none of the media types its route answers
in (JSON; CSV too on a timeline; `text/event-stream` on the event stream; Prometheus text on
`/metrics`) is refused with a problem naming them, before anything else of it is read, and the
response cache serves it nothing. Before, `Accept: application/xml` got a 200 of JSON. No
`Accept`, `*/*`, `type/*` and a browser's `Accept` are answered as before; `q=0` refuses a type;
the OpenAPI document declares the 406 on every operation that answers with a body."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.signals.models import Signal
from tests.api.platform.test_http_conventions import cached_client, cached_get  # noqa: F401
from tests.conftest import READ_KEY, TRADE_KEY
from tests.helpers import assert_problem

API = "/api/symbol-mgmt"
READER = {"X-API-Key": READ_KEY}
TIMELINE = f"{API}/portfolio/timeline"
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PROMETHEUS = (
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
    "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
)


def not_acceptable(response: httpx.Response, *acceptable: str) -> dict[str, Any]:
    problem = assert_problem(response, 406, "not-acceptable")
    assert problem["acceptable"] == list(acceptable)
    assert f"send `Accept: {acceptable[0]}` (or `*/*`)" in str(problem["detail"])
    return problem


class TestJsonRoutes:
    @pytest.mark.parametrize(
        "accept",
        ["application/xml", "text/csv", "application/json;q=0", "*/*, application/json;q=0"],
    )
    async def test_an_accept_taking_no_json_is_a_406(
        self, client: httpx.AsyncClient, accept: str
    ) -> None:
        response = await client.get(f"{API}/portfolio", headers={**READER, "Accept": accept})
        problem = not_acceptable(response, "application/json")
        assert accept in str(problem["detail"])

    @pytest.mark.parametrize("accept", [None, "*/*", "application/*", FIREFOX, ""])
    async def test_no_accept_or_one_taking_json_is_answered_as_before(
        self, client: httpx.AsyncClient, accept: str | None
    ) -> None:
        headers = READER if accept is None else {**READER, "Accept": accept}
        response = await client.get(f"{API}/portfolio", headers=headers)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json"

    async def test_a_write_refused_so_changes_nothing(
        self, client: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        signal = {"source": "p", "signal_type": "P", "direction": "BUY", "strength": 0.5}
        headers = {"X-API-Key": TRADE_KEY, "Accept": "application/xml"}
        response = await client.post(f"{API}/signals", json=signal, headers=headers)
        not_acceptable(response, "application/json")
        assert await session.scalar(select(func.count()).select_from(Signal)) == 0

    async def test_a_head_is_refused_as_its_get(self, client: httpx.AsyncClient) -> None:
        response = await client.head(f"{API}/portfolio", headers={**READER, "Accept": "text/csv"})
        assert (response.status_code, response.content) == (406, b"")

    async def test_a_cached_read_is_never_served_to_it(
        self,
        cached_client: httpx.AsyncClient,  # noqa: F811
    ) -> None:
        path = f"{API}/signals/pending"
        await cached_get(cached_client, path)
        refused = await cached_client.get(path, headers={**READER, "Accept": "application/xml"})
        not_acceptable(refused, "application/json")
        assert "x-cache" not in refused.headers


class TestRoutesOfOtherTypes:
    @pytest.mark.parametrize(
        ("accept", "media"),
        [("text/csv", "text/csv"), ("text/*", "text/csv"), ("*/*", "application/json")],
    )
    async def test_a_timeline_answers_either_of_its_types(
        self, client: httpx.AsyncClient, accept: str, media: str
    ) -> None:
        response = await client.get(TIMELINE, headers={**READER, "Accept": accept})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == media

    async def test_a_timeline_refuses_an_accept_taking_neither(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.get(TIMELINE, headers={**READER, "Accept": "application/xml"})
        not_acceptable(response, "application/json", "text/csv")

    async def test_the_event_stream_refuses_an_accept_of_json_alone(
        self, client: httpx.AsyncClient
    ) -> None:
        """HEAD: the stream's head alone (a GET answered 200 would stream for ever)."""
        headers = {**READER, "Accept": "application/json"}
        response = await asyncio.wait_for(client.head(f"{API}/events", headers=headers), 10)
        assert (response.status_code, response.content) == (406, b"")
        refused = await asyncio.wait_for(client.get(f"{API}/events", headers=headers), 10)
        not_acceptable(refused, "text/event-stream")

    async def test_the_event_stream_takes_its_own_type(self, client: httpx.AsyncClient) -> None:
        headers = {**READER, "Accept": "text/event-stream"}
        response = await asyncio.wait_for(client.head(f"{API}/events", headers=headers), 10)
        assert response.status_code == 200

    async def test_metrics_take_prometheus_s_accept_and_refuse_openmetrics_alone(
        self, client: httpx.AsyncClient
    ) -> None:
        scraped = await client.get("/metrics", headers={**READER, "Accept": PROMETHEUS})
        assert scraped.status_code == 200
        assert scraped.headers["content-type"].startswith("text/plain; version=0.0.4")
        accept = "application/openmetrics-text; version=1.0.0"
        refused = await client.get("/metrics", headers={**READER, "Accept": accept})
        not_acceptable(refused, "text/plain")


def test_the_document_declares_406_where_an_operation_answers_a_body(
    openapi_document: dict[str, Any],
) -> None:
    undeclared = []
    for path, operations in openapi_document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            if any(s.startswith("2") and r.get("content") for s, r in responses.items()):
                if "406" not in responses:
                    undeclared.append(f"{method.upper()} {path}")
                    continue
                content = responses["406"]["content"]
                assert list(content) == ["application/problem+json"], (method, path)
    assert undeclared == []
