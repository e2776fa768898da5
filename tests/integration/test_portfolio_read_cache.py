"""The portfolio read cache never serves a portfolio older than the last committed change,
whichever replica made it; switched off it answers the same."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import text

from app.config import Settings
from app.db.engine import create_engine
from app.main import create_app
from tests.conftest import start_app
from tests.integration.committed import BASE, TRADE, prepared
from tests.kucoin_sim.app import KucoinSimulator

PORTFOLIO = f"{BASE}/portfolio"


async def members(api: httpx.AsyncClient) -> list[tuple[int, str, str]]:
    body = (await api.get(PORTFOLIO, headers=TRADE)).json()
    return [(m["rank"], m["symbol"], m["weight"]) for m in body["members"]]


@pytest.mark.parametrize("read_cache", [True, False])
async def test_a_replica_sees_the_other_replicas_writes_at_once(
    read_cache: bool,
    committed_postgres: str,
    live_sim: KucoinSimulator,
    make_settings: Callable[..., Settings],
) -> None:
    writer, writer_clients, symbols = await prepared(committed_postgres, live_sim, make_settings)
    settings = make_settings(
        committed_postgres,
        kucoin={"futures_url": live_sim.base_url, "websocket_enabled": False},
        portfolio={"read_cache": read_cache},
    )
    reader_clients = start_app(create_app(settings))
    reader = await reader_clients.__anext__()
    try:
        for symbol in symbols[:3]:
            await writer.post(f"{PORTFOLIO}/add-symbol", json={"symbol": symbol}, headers=TRADE)
        first = await members(reader)  # warms the reader's cache
        assert [s for _, s, _ in first] == symbols[:3]
        assert await members(reader) == first
        await writer.post(f"{PORTFOLIO}/remove-symbol", json={"symbol": symbols[0]}, headers=TRADE)
        after_remove = await members(reader)
        assert [s for _, s, _ in after_remove] == symbols[1:3]
        assert after_remove == await members(writer)
        # A configuration edit made outside the API also shows at once (its time moves).
        engine = create_engine(make_settings(committed_postgres))
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "UPDATE system_configuration SET value = '1', updated_at = now() "
                    "WHERE key = 'replacement_candidates'"
                )
            )
        await engine.dispose()
        body = (await reader.get(PORTFOLIO, headers=TRADE)).json()
        assert sum(m["is_replacement_candidate"] for m in body["members"]) == 1
    finally:
        await reader_clients.aclose()
        await writer_clients.aclose()
