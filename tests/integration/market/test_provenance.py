"""Where stored candles came from: each insert records its source's kind and the open times it
filled; a span of time reads the kinds whose candles open in it, whatever the service reads now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.kucoin.gateway import KucoinGateway
from app.market.candles import CandleService
from app.market.contracts.data_source import CUSTOM, LIVE, SIMULATOR, Provenance
from app.market.models import MarketDataSource
from app.market.repository.sources import MarketDataSourceRepository
from tests.integration.market.test_candle_store import sim_now, synced
from tests.kucoin_sim.app import KucoinSimulator

T0 = datetime(2026, 11, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)


async def spans(session: AsyncSession) -> dict[str, tuple[datetime, datetime]]:
    rows = (await session.scalars(select(MarketDataSource))).all()
    return {r.source: (r.first_open_time, r.last_open_time) for r in rows}


class TestRecorded:
    async def test_each_source_widens_its_own_span(self, session: AsyncSession) -> None:
        await MarketDataSourceRepository(session).record(SIMULATOR, [T0 + 5 * HOUR, T0 + 2 * HOUR])
        await MarketDataSourceRepository(session).record(SIMULATOR, [T0 + 9 * HOUR])
        await MarketDataSourceRepository(session).record(SIMULATOR, [T0])  # an earlier backfill
        await MarketDataSourceRepository(session).record(LIVE, [T0 + 10 * HOUR, T0 + 11 * HOUR])
        assert await spans(session) == {
            SIMULATOR: (T0, T0 + 9 * HOUR),
            LIVE: (T0 + 10 * HOUR, T0 + 11 * HOUR),
        }

    async def test_nothing_stored_records_nothing(self, session: AsyncSession) -> None:
        await MarketDataSourceRepository(session).record(LIVE, [])
        assert await spans(session) == {}

    async def test_an_unknown_kind_is_refused(self, session: AsyncSession) -> None:
        with pytest.raises(ValueError, match="unknown market data source"):
            await MarketDataSourceRepository(session).record("binance", [T0])

    async def test_a_span_reads_the_kinds_whose_candles_open_in_it(
        self, session: AsyncSession
    ) -> None:
        """A database filled from the simulator, then pointed at KuCoin: a window over the old
        candles is simulated, one over the new only live, one across both says both."""
        await MarketDataSourceRepository(session).record(SIMULATOR, [T0, T0 + 9 * HOUR])
        await MarketDataSourceRepository(session).record(LIVE, [T0 + 10 * HOUR, T0 + 20 * HOUR])
        assert await MarketDataSourceRepository(session).between(T0, T0 + 5 * HOUR) == Provenance(
            (SIMULATOR,)
        )
        assert await MarketDataSourceRepository(session).between(
            T0 + 12 * HOUR, T0 + 15 * HOUR
        ) == Provenance((LIVE,))
        across = await MarketDataSourceRepository(session).between(T0 + 8 * HOUR, T0 + 12 * HOUR)
        assert across.sources == (LIVE, SIMULATOR) and across.simulated
        assert await MarketDataSourceRepository(session).between(
            T0 + 30 * HOUR, T0 + 40 * HOUR
        ) == Provenance(())
        await MarketDataSourceRepository(session).record(CUSTOM, [T0 + 3 * HOUR])
        assert (await MarketDataSourceRepository(session).between(T0, T0 + 4 * HOUR)).sources == (
            SIMULATOR,
            CUSTOM,
        )


class TestFetched:
    async def test_candles_stored_from_the_simulator_say_so(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        [btc] = await synced(session, gateway, "XBTUSDTM")
        now = sim_now(sim)
        await CandleService(session, gateway).refresh([btc], lookback=48, now=now)
        [(kind, (first, last))] = (await spans(session)).items()
        assert kind == SIMULATOR and last - first == 47 * HOUR
        assert (await MarketDataSourceRepository(session).between(first, last)).simulated
