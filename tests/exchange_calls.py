"""KuCoin calls only the tests make (the service never needs them): small requests through a
client's transport, to exercise its budget, its source detection and its error mapping."""

from __future__ import annotations

from typing import Literal

from app.kucoin.client import WEIGHTS, KucoinFuturesClient
from app.kucoin.models import Contract, KucoinModel


class ServiceStatus(KucoinModel):
    """`/api/v1/status`: whether KuCoin's futures service is open."""

    status: Literal["open", "close", "cancelonly"]
    msg: str = ""


async def server_time_ms(client: KucoinFuturesClient) -> int:
    """KuCoin's clock (`/api/v1/timestamp`): the cheapest call there is."""
    data = await client.get("/api/v1/timestamp", weight=WEIGHTS["timestamp"])
    assert isinstance(data, int) and not isinstance(data, bool), data
    return data


async def service_status(client: KucoinFuturesClient) -> ServiceStatus:
    """KuCoin's futures service status (`/api/v1/status`)."""
    data = await client.get("/api/v1/status", weight=WEIGHTS["status"])
    return ServiceStatus.model_validate(data)


async def contract(client: KucoinFuturesClient, symbol: str) -> Contract:
    """One contract by its KuCoin code (`/api/v1/contracts/{symbol}`)."""
    path = f"/api/v1/contracts/{symbol}"
    return Contract.model_validate(await client.get(path, weight=WEIGHTS["contracts"]))
