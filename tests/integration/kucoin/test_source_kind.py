"""The client tells the simulator from KuCoin by what the source says, not by its URL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from app.platform.core.environment_sections import LIVE_KUCOIN_FUTURES_URL
from tests.exchange_calls import server_time_ms
from tests.kucoin_sim.app import KucoinSimulator
from tests.sim_fixtures import make_client


@pytest.fixture
def sim_config() -> dict[str, Any]:
    return {"universe": 4}


@pytest.fixture
async def plain_source() -> AsyncIterator[str]:
    """A KuCoin-shaped server that does not announce itself (as KuCoin, or a recording proxy)."""

    async def timestamp(request: web.Request) -> web.Response:
        return web.json_response({"code": "200000", "data": 1_700_000_000_000})

    app = web.Application()
    app.router.add_get("/api/v1/timestamp", timestamp)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    await runner.cleanup()


class TestSourceKind:
    async def test_the_simulator_is_known_once_it_has_answered(
        self, sim: KucoinSimulator, http: aiohttp.ClientSession
    ) -> None:
        client = make_client(http, sim.base_url)
        assert client.source_kind == "custom"  # nothing said yet: only the URL is known
        await server_time_ms(client)
        assert client.source_kind == "simulator"

    async def test_a_source_that_does_not_announce_itself_is_custom(
        self, plain_source: str, http: aiohttp.ClientSession
    ) -> None:
        client = make_client(http, plain_source)
        assert await server_time_ms(client) == 1_700_000_000_000
        assert client.source_kind == "custom"

    async def test_kucoins_own_url_is_live_until_an_answer_says_otherwise(
        self, http: aiohttp.ClientSession
    ) -> None:
        assert make_client(http, LIVE_KUCOIN_FUTURES_URL).source_kind == "live"

    async def test_the_simulator_announces_itself_on_errors_too(
        self, sim: KucoinSimulator, http: aiohttp.ClientSession
    ) -> None:
        async with http.get(f"{sim.base_url}/api/v1/no-such-path") as response:
            assert response.status == 404
            assert response.headers["X-Exchange-Simulator"] == "kucoin_sim"
