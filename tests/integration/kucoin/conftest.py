"""The exchange stack against a small simulator that pushes ticks every 20 ms."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from app.kucoin.gateway import KucoinGateway
from tests.kucoin_sim.app import KucoinSimulator
from tests.sim_fixtures import make_client, make_gateway


@pytest.fixture
def sim_config() -> dict[str, Any]:
    return {"universe": 6, "ws_push_interval_ms": 20}


@pytest.fixture
async def gateway(sim: KucoinSimulator, http: aiohttp.ClientSession) -> KucoinGateway:
    gw = make_gateway(make_client(http, sim.base_url))
    await gw.list_contracts()  # loads the converter: BTCUSDT <-> XBTUSDTM
    return gw
