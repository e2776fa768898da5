"""The dashboard's files as the service serves them: same origin, every module present, nothing
from another origin, strict headers; and the API without them."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest

import app.dashboard
from app.dashboard import STATIC_DIR
from app.main import create_app
from app.platform.core.environment import Environment
from tests.conftest import start_app

IMPORT = re.compile(
    r"""(?:^|\s)(?:import|export)\s[^;]*?from\s+"([^"]+)"|import\s*\(\s*"([^"]+)"\s*\)"""
)
ASSET = re.compile(r"""(?:src|href)="([^"#:]+)\"""")
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


@pytest.fixture
async def client(
    sqlite_file_url: str, make_environment: Callable[..., Environment]
) -> AsyncIterator[httpx.AsyncClient]:
    async for client in start_app(create_app(make_environment(sqlite_file_url))):
        yield client


def imports_of(path: Path) -> list[Path]:
    text = path.read_text()
    return [(path.parent / (a or b)).resolve() for a, b in IMPORT.findall(text)]


class TestServing:
    async def test_the_bare_path_redirects_to_the_page(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/dashboard")
        assert response.status_code == 308
        assert response.headers["location"] == "/dashboard/"

    async def test_the_page_comes_with_a_same_origin_policy(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.get("/dashboard/")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "script-src 'self';" in policy
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-cache"
        assert '<script type="module" src="js/main.js"></script>' in response.text

    async def test_every_file_the_page_loads_is_served(self, client: httpx.AsyncClient) -> None:
        page = (STATIC_DIR / "index.html").read_text()
        pending = [(STATIC_DIR / p).resolve() for p in ASSET.findall(page)]
        seen: set[Path] = set()
        while pending:
            path = pending.pop()
            if path in seen:
                continue
            seen.add(path)
            url = f"/dashboard/{path.relative_to(STATIC_DIR.resolve()).as_posix()}"
            response = await client.get(url)
            assert response.status_code == 200, url
            kind = "text/css" if path.suffix == ".css" else "text/javascript"
            assert response.headers["content-type"].startswith(kind), url
            if path.suffix == ".js":
                pending.extend(imports_of(path))
        shipped = {p.resolve() for p in STATIC_DIR.rglob("*") if p.is_file()}
        assert shipped == seen | {(STATIC_DIR / "index.html").resolve()}  # nothing unused

    async def test_the_openapi_document_leaves_the_page_out(
        self, client: httpx.AsyncClient
    ) -> None:
        paths = (await client.get("/openapi.json")).json()["paths"]
        assert not [p for p in paths if p.startswith("/dashboard")]


def test_nothing_is_fetched_from_another_origin() -> None:
    for path in STATIC_DIR.rglob("*"):
        if path.is_file():
            text = path.read_text().replace(SVG_NAMESPACE, "")
            assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", text), path


async def test_without_its_files_the_api_still_answers(
    sqlite_file_url: str,
    make_environment: Callable[..., Environment],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(app.dashboard, "STATIC_DIR", tmp_path)
    async for client in start_app(create_app(make_environment(sqlite_file_url))):
        assert (await client.get("/dashboard/")).status_code == 404
        assert (await client.get("/api/symbol-mgmt/health")).status_code == 200
    assert "serving the API only" in caplog.text
