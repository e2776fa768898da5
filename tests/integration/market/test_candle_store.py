"""Candle store: a first load, then only the missing candles; gaps recorded, not papered over."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta

from sqlalchemy import event, make_url, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.kucoin.gateway import KucoinGateway
from app.market.candles import INSERT_STEP, CandleService
from app.market.models import Candle, Symbol
from app.market.repository.candles import CandleRepository
from app.market.service import UniverseService
from app.platform.core.environment import Environment
from app.platform.db.engine import create_engine, create_sessionmaker
from app.portfolio.holdings import PortfolioHoldings
from tests.integration.committed import committed_sqlite  # noqa: F401
from tests.kucoin_sim.app import KucoinSimulator

KLINE = "/api/v1/kline/query"
HOUR_MS = 3_600_000


def sim_now(sim: KucoinSimulator) -> datetime:
    return datetime.fromtimestamp(sim.clock.now_ms() / 1000, tz=UTC)


def last_closed_open_ms(sim: KucoinSimulator) -> int:
    return sim.clock.now_ms() // HOUR_MS * HOUR_MS - HOUR_MS


async def synced(session: AsyncSession, gateway: KucoinGateway, *codes: str) -> list[Symbol]:
    await UniverseService(session, gateway).sync(PortfolioHoldings())
    rows = (await session.scalars(select(Symbol).where(Symbol.kucoin_symbol.in_(codes)))).all()
    return sorted(rows, key=lambda r: codes.index(r.kucoin_symbol))


async def open_times_ms(session: AsyncSession, symbol: Symbol) -> list[int]:
    query = (
        select(Candle.open_time)
        .where(Candle.symbol_id == symbol.id, Candle.granularity_min == 60)
        .order_by(Candle.open_time)
    )
    return [int(t.timestamp() * 1000) for t in (await session.scalars(query)).all()]


class TestCandleStore:
    async def test_first_load_stores_the_lookback_of_closed_candles(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        [btc] = await synced(session, gateway, "XBTUSDTM")
        sim.reset_requests()
        now = sim_now(sim)
        result = await CandleService(session, gateway).refresh([btc], lookback=120, now=now)
        newest = last_closed_open_ms(sim)
        assert await open_times_ms(session, btc) == list(
            range(newest - 119 * HOUR_MS, newest + 1, HOUR_MS)
        )
        assert (result.fetched, result.inserted, result.gaps, result.failures) == (120, 120, 0, {})
        assert sim.count(KLINE) == 1
        stored = await session.scalar(select(Candle).where(Candle.symbol_id == btc.id).limit(1))
        assert stored is not None and stored.fetched_at == now  # point in time: when we learned it
        assert stored.high >= max(stored.open, stored.close) >= stored.low > 0

    async def test_second_run_fetches_only_the_new_range(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        symbols = await synced(session, gateway, "XBTUSDTM", "ETHUSDTM")
        service = CandleService(session, gateway)
        await service.refresh(symbols, lookback=50, now=sim_now(sim))
        newest_before = last_closed_open_ms(sim)
        sim.clock.advance(3 * 3600)
        sim.reset_requests()
        result = await service.refresh(symbols, lookback=50, now=sim_now(sim))
        calls = [r for r in sim.requests if r.path == KLINE]
        assert len(calls) == 2
        for call in calls:
            assert int(call.query["from"]) == newest_before + HOUR_MS
            assert int(call.query["to"]) == last_closed_open_ms(sim)
        assert (result.fetched, result.inserted, result.gaps) == (6, 6, 0)
        for symbol in symbols:
            assert len(await open_times_ms(session, symbol)) == 53

    async def test_an_up_to_date_symbol_sends_no_request(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        [btc] = await synced(session, gateway, "XBTUSDTM")
        service = CandleService(session, gateway)
        await service.refresh([btc], lookback=10, now=sim_now(sim))
        sim.reset_requests()
        result = await service.refresh([btc], lookback=10, now=sim_now(sim))
        assert (result.up_to_date, result.fetched, sim.count(KLINE)) == (1, 0, 0)

    async def test_missing_candles_are_recorded_as_a_gap_not_filled(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        [eth] = await synced(session, gateway, "ETHUSDTM")
        newest = last_closed_open_ms(sim)
        hole_start, hole_end = newest - 10 * HOUR_MS, newest - 8 * HOUR_MS
        sim.drop_candles("ETHUSDTM", hole_start, hole_end)
        result = await CandleService(session, gateway).refresh([eth], lookback=24, now=sim_now(sim))
        times = await open_times_ms(session, eth)
        assert len(times) == 21 and not {hole_start, hole_start + HOUR_MS, hole_end} & set(times)
        [gap] = await CandleRepository(session).gaps(eth.id, 60)
        assert result.gaps == 1
        assert int(gap.gap_start.timestamp() * 1000) == hole_start
        assert int(gap.gap_end.timestamp() * 1000) == hole_end
        assert gap.missing_count == 3

    async def test_a_gap_between_runs_is_detected_against_the_stored_tail(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        [btc] = await synced(session, gateway, "XBTUSDTM")
        service = CandleService(session, gateway)
        await service.refresh([btc], lookback=5, now=sim_now(sim))
        first_new = last_closed_open_ms(sim) + HOUR_MS
        sim.drop_candles("XBTUSDTM", first_new, first_new + HOUR_MS)
        sim.clock.advance(4 * 3600)
        result = await service.refresh([btc], lookback=5, now=sim_now(sim))
        [gap] = await CandleRepository(session).gaps(btc.id, 60)
        assert (result.inserted, result.gaps, gap.missing_count) == (2, 1, 2)
        assert gap.gap_start == datetime.fromtimestamp(first_new / 1000, tz=UTC)

    async def test_one_failing_symbol_does_not_stop_the_others(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        symbols = await synced(session, gateway, "XBTUSDTM", "ETHUSDTM")
        sim.delist("ETHUSDTM")  # klines now answer 200003
        result = await CandleService(session, gateway).refresh(
            symbols, lookback=10, now=sim_now(sim)
        )
        assert result.failures == {"ETHUSDT": "unknown-symbol"}
        assert result.inserted == 10
        assert len(await open_times_ms(session, symbols[0])) == 10
        assert await open_times_ms(session, symbols[1]) == []

    async def test_stored_candles_match_what_kucoin_served(
        self, session: AsyncSession, gateway: KucoinGateway, sim: KucoinSimulator
    ) -> None:
        [btc] = await synced(session, gateway, "XBTUSDTM")
        now = sim_now(sim)
        await CandleService(session, gateway).refresh([btc], lookback=30, now=now)
        served = await gateway.get_candles("BTCUSDT", 60, now - timedelta(hours=31), now)
        stored = (
            await session.scalars(
                select(Candle).where(Candle.symbol_id == btc.id).order_by(Candle.open_time)
            )
        ).all()
        closed = [bar for bar in served if bar.open_time <= stored[-1].open_time][-30:]
        assert [(c.open_time, c.open, c.high, c.low, c.close, c.volume) for c in stored] == [
            (b.open_time, b.open, b.high, b.low, b.close, b.volume) for b in closed
        ]


class TestNewestHourAtOnce:
    async def test_on_sqlite_each_commit_shows_the_newest_hour_for_every_symbol_or_none(
        self,
        committed_sqlite: str,  # noqa: F811
        gateway: KucoinGateway,
        sim: KucoinSimulator,
        make_environment: Callable[..., Environment],
    ) -> None:
        """A first fill over the insert step commits in several steps; the live records mark an
        hour once its candles are stored, so the newest hour appears in the last one, whole."""
        engine = create_engine(make_environment(committed_sqlite))
        path = make_url(committed_sqlite).database
        assert path is not None
        seen: list[tuple[int, int]] = []  # (candles, symbols with the newest hour) per commit
        newest = datetime.fromtimestamp(last_closed_open_ms(sim) / 1000, tz=UTC)
        try:
            async with create_sessionmaker(engine)() as session:
                symbols = await synced(session, gateway, "XBTUSDTM", "ETHUSDTM")
                await session.commit()

                @event.listens_for(session.sync_session, "after_commit")
                def observed(_session: Session) -> None:  # another connection, as a job's
                    with closing(sqlite3.connect(path)) as other:
                        total, at_newest = other.execute(
                            "SELECT count(*), count(DISTINCT CASE WHEN open_time = ? "
                            "THEN symbol_id END) FROM candle",
                            (newest.strftime("%Y-%m-%d %H:%M:%S.%f"),),
                        ).fetchone()
                    seen.append((total, at_newest))

                result = await CandleService(session, gateway).refresh(
                    symbols, lookback=INSERT_STEP, now=sim_now(sim)
                )
        finally:
            await engine.dispose()
        # Two symbols' first fills: older rows in steps, then both newest candles at once.
        assert [at_newest for _, at_newest in seen] == [0] * (len(seen) - 1) + [2], seen
        assert len(seen) >= 3 and seen[-1][0] == result.inserted, seen
