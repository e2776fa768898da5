"""The API's pages name no other host: Swagger UI and ReDoc load their files from the service,
and their Content-Security-Policy keeps every request on it (tests/browser/test_docs_ui.py
renders them in Chromium with every other host cut off)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from app.api.docs_ui import SAME_ORIGIN_ONLY
from tests.conftest import start_app

ADDRESS = re.compile(r"""(?:src|href)=["']?([^"' >]+)""")


@pytest.fixture
async def api(sim_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async for client in start_app(sim_app):
        yield client


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_the_page_loads_only_the_services_own_files(
    api: httpx.AsyncClient, page: str
) -> None:
    response = await api.get(page)
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == SAME_ORIGIN_ONLY
    addresses = ADDRESS.findall(response.text)
    assert addresses and all(a.startswith("/docs-assets/") for a in addresses), addresses
    assert "cdn." not in response.text and "fonts.googleapis" not in response.text
    for address in addresses:
        asset = await api.get(address)
        assert asset.status_code == 200 and len(asset.content) > 1000, address


def test_the_policy_allows_no_other_host() -> None:
    sources = {source for part in SAME_ORIGIN_ONLY.split("; ") for source in part.split()[1:]}
    assert sources == {"'self'", "'unsafe-inline'", "data:", "blob:"}
