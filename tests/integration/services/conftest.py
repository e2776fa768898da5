"""Services against the loopback KuCoin simulator and a real (rolled-back) database."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from app.exchange.gateway import KucoinGateway
from tests.kucoin_sim.app import KucoinSimulator
from tests.sim_fixtures import make_client, make_gateway, running_simulator


@pytest.fixture
async def sim() -> AsyncIterator[KucoinSimulator]:
    async with running_simulator(universe=12) as simulator:
        yield simulator


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def gateway(sim: KucoinSimulator, http: aiohttp.ClientSession) -> KucoinGateway:
    return make_gateway(make_client(http, sim.base_url, max_attempts=2))
