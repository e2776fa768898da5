"""`GET /` points to the reference, the OpenAPI document, the dashboard and readiness: a JSON
document with every link it names answering (and the RFC 8631 relations in `Link`), a page of
the same links for a browser, no dashboard link without the dashboard's files, and no operation
of the OpenAPI document."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest

import app.dashboard
from app.main import create_app
from app.platform.core.environment import Environment
from app.platform.http.root import PAGE_POLICY
from tests.conftest import start_app

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
LINK = re.compile(r'<([^>]+)>; rel="([^"]+)"')
HREF = re.compile(r'<a href="([^"]+)">')


@pytest.fixture
async def client(
    sqlite_file_url: str, make_environment: Callable[..., Environment]
) -> AsyncIterator[httpx.AsyncClient]:
    async for client in start_app(create_app(make_environment(sqlite_file_url))):
        yield client


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "text/html;q=0.5, */*"])
async def test_a_program_gets_the_links_as_json(
    client: httpx.AsyncClient, accept: str | None
) -> None:
    response = await client.get("/", headers={} if accept is None else {"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["vary"] == "Accept"
    body = response.json()
    assert (body["service"], body["api"]) == ("MySymbols", "/api/symbol-mgmt")
    hrefs = {name: link["href"] for name, link in body["links"].items()}
    assert hrefs == {
        "docs": "/docs",
        "redoc": "/redoc",
        "openapi": "/openapi.json",
        "dashboard": "/dashboard/",
        "status": "/api/symbol-mgmt/status",
    }
    assert all(link["title"] and link["type"] for link in body["links"].values())


async def test_every_link_answers_as_its_type_says(client: httpx.AsyncClient) -> None:
    links = (await client.get("/")).json()["links"]
    for name, link in links.items():
        answer = await client.get(link["href"])
        assert answer.status_code in ((200, 503) if name == "status" else (200,)), name
        assert answer.headers["content-type"].startswith(link["type"]), name


async def test_the_link_header_names_the_docs_the_document_and_readiness(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/")
    relations = {rel: href for href, rel in LINK.findall(response.headers["link"])}
    assert relations == {
        "service-doc": "/docs",
        "service-desc": "/openapi.json",
        "status": "/api/symbol-mgmt/status",
    }


async def test_a_browser_gets_a_page_of_the_same_links(client: httpx.AsyncClient) -> None:
    links = (await client.get("/")).json()["links"]
    response = await client.get("/", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == PAGE_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert HREF.findall(response.text) == [link["href"] for link in links.values()]
    assert "<script" not in response.text and "<style" not in response.text


async def test_the_root_is_no_operation_of_the_api(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    assert "/" not in document["paths"]
    assert (await client.post("/")).status_code == 405


async def test_without_the_dashboards_files_it_names_no_dashboard(
    sqlite_file_url: str,
    make_environment: Callable[..., Environment],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(app.dashboard, "STATIC_DIR", tmp_path)
    async for client in start_app(create_app(make_environment(sqlite_file_url))):
        links = (await client.get("/")).json()["links"]
        assert "dashboard" not in links and set(links) == {"docs", "redoc", "openapi", "status"}
