"""The market's services against the loopback KuCoin simulator and a real (rolled-back) database:
12 contracts. The price cache's module chooses its own market."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from app.kucoin.gateway import KucoinGateway
from tests.kucoin_sim.app import KucoinSimulator
from tests.sim_fixtures import make_client, make_gateway


@pytest.fixture
def sim_config() -> dict[str, Any]:
    return {"universe": 12}


@pytest.fixture
def gateway(sim: KucoinSimulator, http: aiohttp.ClientSession) -> KucoinGateway:
    return make_gateway(make_client(http, sim.base_url, max_attempts=2))
