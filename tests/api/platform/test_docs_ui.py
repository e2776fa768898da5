"""The API's pages name no other host: Swagger UI and ReDoc load their files from the service,
and their Content-Security-Policy keeps every request on it (tests/browser/test_docs_ui.py
renders them in Chromium with every other host cut off); no page may frame them, and the
document, the pages and their files are sent `nosniff`."""

from __future__ import annotations

import re

import httpx
import pytest

from app.platform.http.docs_ui import ASSETS, SAME_ORIGIN_ONLY

ADDRESS = re.compile(r"""(?:src|href)=["']?([^"' >]+)""")


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


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_no_page_may_frame_the_page(api: httpx.AsyncClient, page: str) -> None:
    response = await api.get(page)
    directives = response.headers["content-security-policy"].split("; ")
    assert "frame-ancestors 'none'" in directives
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "path", ["/openapi.json", f"{ASSETS}/swagger-ui-bundle.js", f"{ASSETS}/swagger-ui.css"]
)
async def test_the_document_and_the_files_are_sent_nosniff(
    api: httpx.AsyncClient, path: str
) -> None:
    response = await api.get(path)
    assert response.status_code == 200
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_policy_allows_no_other_host() -> None:
    sources = {source for part in SAME_ORIGIN_ONLY.split("; ") for source in part.split()[1:]}
    assert sources == {"'self'", "'unsafe-inline'", "data:", "blob:", "'none'"}
