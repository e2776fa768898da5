"""The ticker stream follows the active portfolio members read from the database."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from app.kucoin.gateway import KucoinGateway
from app.kucoin.websocket import StreamTick, TickerStream
from app.market.models import Symbol
from app.market.service import UniverseService
from app.portfolio.holdings import PortfolioHoldings
from app.portfolio.ticker_follower import follow_portfolio_prices
from tests.factories import make_member
from tests.kucoin_sim.app import KucoinSimulator
from tests.sim_fixtures import make_client, make_gateway, wait_until


@pytest.fixture
def sim_config() -> dict[str, Any]:
    return {"universe": 12}


@pytest.fixture
def gateway(sim: KucoinSimulator, http: aiohttp.ClientSession) -> KucoinGateway:
    return make_gateway(make_client(http, sim.base_url, max_attempts=2))


async def add_members(session: AsyncSession, *codes: str) -> None:
    for rank, code in enumerate(codes, start=1):
        symbol = await session.scalar(select(Symbol).where(Symbol.kucoin_symbol == code))
        assert symbol is not None
        await make_member(session, rank, symbol=symbol, weight=50)


def sessions_on(connection: AsyncConnection) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(bind=connection, join_transaction_mode="create_savepoint")


class TestFollowPortfolio:
    async def test_streams_ticks_for_the_members_only(
        self, session: AsyncSession, connection: AsyncConnection, gateway: KucoinGateway
    ) -> None:
        await UniverseService(session, gateway).sync(PortfolioHoldings())
        await add_members(session, "ETHUSDTM", "SIM002USDTM")
        ticks: list[StreamTick] = []
        stream = TickerStream(gateway.client, gateway.converter, ticks.append)
        try:
            followed = await follow_portfolio_prices(sessions_on(connection), stream)
            assert followed == {"ETHUSDT", "SIM002USDT"}
            assert await wait_until(lambda: {t.symbol for t in ticks} >= followed, 5.0)
            assert {t.symbol for t in ticks} <= followed
        finally:
            await stream.stop()

    async def test_an_empty_portfolio_does_not_connect(
        self, connection: AsyncConnection, gateway: KucoinGateway
    ) -> None:
        stream = TickerStream(gateway.client, gateway.converter, lambda tick: None)
        assert await follow_portfolio_prices(sessions_on(connection), stream) == set()
        assert stream.stats.state == "idle" and stream.stats.tokens_fetched == 0
