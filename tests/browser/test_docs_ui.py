"""The API's pages, Swagger UI at /docs and ReDoc at /redoc, in real Chromium with every other
host cut off: they render every operation from files the service serves itself."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import expect

from tests.browser.conftest import Deployment

VIEWPORT = {"width": 1400, "height": 1000}


async def offline_page(browser: Any, deployment: Deployment) -> tuple[Any, Any, list[str]]:
    """A page whose requests to any host but the service's are refused, and counted."""
    context = await browser.new_context(viewport=VIEWPORT)
    page = await context.new_page()
    elsewhere: list[str] = []
    ours = urlsplit(deployment.origin).netloc

    async def only_ours(route: Any) -> None:
        if urlsplit(route.request.url).netloc == ours:
            await route.continue_()
        else:
            elsewhere.append(route.request.url)
            await route.abort()

    await page.route("**/*", only_ours)
    return context, page, elsewhere


def operations(deployment: Deployment) -> int:
    with deployment.api() as client:
        document = client.get(f"{deployment.origin}/openapi.json").json()
    return sum(len(methods) for methods in document["paths"].values())


async def test_swagger_ui_renders_every_operation_offline(
    browser: Any, deployment: Deployment
) -> None:
    context, page, elsewhere = await offline_page(browser, deployment)
    try:
        await page.goto(f"{deployment.origin}/docs")
        blocks = page.locator(".opblock")
        await expect(blocks.first).to_be_visible(timeout=15_000)
        assert await blocks.count() == operations(deployment)
        await expect(page.locator(".info .title")).to_contain_text("MySymbols")
        assert elsewhere == []
    finally:
        await context.close()


async def test_redoc_renders_every_operation_offline(browser: Any, deployment: Deployment) -> None:
    context, page, elsewhere = await offline_page(browser, deployment)
    try:
        await page.goto(f"{deployment.origin}/redoc")
        entries = page.locator('[data-section-id^="operation/"]')
        await expect(entries.first).to_be_attached(timeout=15_000)
        assert await entries.count() == operations(deployment)
        assert elsewhere == []
    finally:
        await context.close()
