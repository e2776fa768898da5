"""Helpers for the portfolio API tests."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import ADMIN_KEY, READ_KEY, TRADE_KEY

BASE = "/api/symbol-mgmt"
PORTFOLIO = f"{BASE}/portfolio"
TRADE = {"X-API-Key": TRADE_KEY}
READ = {"X-API-Key": READ_KEY}
ADMIN = {"X-API-Key": ADMIN_KEY}


async def ranked(api: httpx.AsyncClient, limit: int = 16) -> list[str]:
    body = (await api.get(f"{BASE}/scoring/rankings", params={"limit": limit}, headers=READ)).json()
    return [item["symbol"] for item in body["items"]]


async def add(api: httpx.AsyncClient, symbol: str, **extra: Any) -> httpx.Response:
    return await api.post(
        f"{PORTFOLIO}/add-symbol", json={"symbol": symbol, **extra}, headers=TRADE
    )


async def portfolio(api: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    response = await api.get(PORTFOLIO, params=params, headers=READ)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def history(api: httpx.AsyncClient) -> list[dict[str, Any]]:
    return list((await api.get(f"{PORTFOLIO}/history", headers=READ)).json())
