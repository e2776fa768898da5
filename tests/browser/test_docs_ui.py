"""The API's pages, Swagger UI at /docs and ReDoc at /redoc, in real Chromium with every other
host cut off: they render every operation from files the service serves itself."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.async_api import expect

from app.platform.db.migrations import upgrade_to_head
from tests.browser.conftest import ADMIN_KEY, Deployment, chromium_or_skip, serving
from tests.databases import sqlite_url
from tests.deployed import service_env, simulator
from tests.sim_fixtures import free_port

VIEWPORT = {"width": 1400, "height": 1000}


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """The service alone, on a migrated SQLite file and the simulator's 30 contracts: its pages
    describe the API, whatever data it holds (the dashboard's tests build the demo-sized one)."""
    chromium_or_skip()
    database = sqlite_url(tmp_path_factory.mktemp("docs"))
    upgrade_to_head(database)
    sim_port, app_port = free_port(), free_port()
    env = service_env(database, sim_port, ADMIN_KEY)
    with serving(env, sim_port, app_port, simulator(sim_port, "30")):
        yield Deployment(f"http://127.0.0.1:{app_port}", [], 0, env)


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
