"""The live track record on PostgreSQL and SQLite: history imported from the simulator, a few
decisions in the audit trail, the record moved forward hour by hour as the clock advances; its
policy and btc_hold equity equal the replay ledger's on the same stored history and decisions
(and the timeline example's), to 1e-9; an update that dies before its commit leaves nothing,
two at once count no hour twice, a fresh updater resumes where the last one stopped."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.core.config import Settings
from app.db.engine import create_engine, create_sessionmaker
from app.db.models import (
    PortfolioHistory,
    Symbol,
    TrackRecord,
    TrackRecordDecision,
    TrackRecordHour,
)
from app.db.repositories.trackrecord import TrackRecordRepository
from app.exchange.gateway import KucoinGateway
from app.replay.history import MarketHistory
from app.replay.simulate import Books, Ledger
from app.services.portfolio.timeline import portfolio_timeline
from app.services.replay.db_source import history_of, load_db_history
from app.services.replay.importer import HistoryImporter
from app.services.trackrecord.read import LiveEvidence
from app.services.trackrecord.update import TrackRecordUpdater
from app.trackrecord.baselines import LiveUniverse, named_targets
from examples.follow_timeline import follow, read_candles, read_timeline
from tests.factories import make_run
from tests.kucoin_sim.app import KucoinSimulator
from tests.replay_data import write_csv_folder
from tests.sim_fixtures import live_clock_ms, make_client, make_gateway

HOUR = timedelta(hours=1)
DAYS = 5
COST = 6e-4  # the default fee, 6 bps, no slippage


@pytest.fixture
def sim_config() -> dict[str, Any]:
    return {"universe": 6, "start_time_ms": live_clock_ms(), "candle_hours": 24 * 40}


@pytest.fixture(params=["postgres", "sqlite"])
def database(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"committed_{request.param}"))


@pytest.fixture
async def gateway(http: aiohttp.ClientSession, sim: KucoinSimulator) -> KucoinGateway:
    return make_gateway(make_client(http, sim.base_url))


@pytest.fixture
async def stored(
    database: str, gateway: KucoinGateway, make_settings: Callable[..., Settings]
) -> AsyncIterator[tuple[async_sessionmaker[AsyncSession], datetime, datetime, list[str]]]:
    """35 days of the simulator's history imported (the baselines' momentum reads 30), a
    scoring run that found every contract eligible, and the decisions of `DECISIONS`."""
    engine = create_engine(make_settings(database))
    sessions = create_sessionmaker(engine)
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - 2 * HOUR
    start = end - timedelta(days=35)
    await HistoryImporter(sessions, gateway).run(start, end)
    async with sessions() as session:
        symbols = list((await session.scalars(select(Symbol).order_by(Symbol.symbol))).all())
        await make_run(session, {s: 50 + k for k, s in enumerate(symbols)}, started_at=start)
        inception = end - timedelta(days=DAYS)
        names = [s.symbol for s in symbols]
        for at, action, members, columns in decisions(inception, names):
            session.add(
                PortfolioHistory(
                    occurred_at=at, action=action, actor="test", reason=f"test {action}",
                    details={"portfolio": [
                        {"symbol": s, "rank": r + 1, "weight": w}
                        for r, (s, w) in enumerate(members)
                    ]},
                    **columns,
                )
            )  # fmt: skip
        await session.commit()
    yield sessions, inception, end, names
    await engine.dispose()


def decisions(
    inception: datetime, names: list[str]
) -> list[tuple[datetime, str, list[tuple[str, str]], dict[str, str]]]:
    """Four members, a replacement, a weight change off the hour (it trades at the next
    close), and two rows in one hour (the last holds)."""
    a, b, c, d, e = names[1:6]
    return [
        (inception, "add", [(a, "25"), (b, "25"), (c, "25"), (d, "25")], {"symbol": d}),
        (inception + 26 * HOUR, "replace", [(a, "25"), (b, "25"), (c, "25"), (e, "25")],
         {"symbol": e, "replaced_symbol": d}),
        (inception + 50 * HOUR + timedelta(minutes=20), "weight_change",
         [(a, "40"), (b, "30"), (c, "20"), (e, "10")], {}),
        (inception + 80 * HOUR + timedelta(minutes=5), "rebalance",
         [(a, "30"), (b, "30"), (c, "20"), (e, "20")], {}),
        (inception + 80 * HOUR + timedelta(minutes=40), "rebalance",
         [(a, "25"), (b, "25"), (c, "25"), (e, "25")], {}),
    ]  # fmt: skip


async def update(sessions: async_sessionmaker[AsyncSession], now: datetime) -> None:
    async with sessions() as session:
        await TrackRecordUpdater(session).update(now)
        await session.commit()


def ledger_equity(
    history: MarketHistory, rows: list[TrackRecordDecision], btc: str, end: datetime
) -> dict[str, np.ndarray]:
    """The replay's ledger over the same history, trading the recorded decisions: the policy
    to its weights at each, btc_hold into BTC at the first."""
    ledger = Ledger(history)
    books = Books.empty(2, history.size)
    times = [int(r.at.timestamp() * 1000) for r in rows]
    books.equity.append(ledger.values(books, ledger.column(times[0]))[:, None])
    for k, (t, row) in enumerate(zip(times, rows, strict=True)):
        weights = np.zeros((2, history.size))
        for symbol, w in row.weights.items():
            weights[0, history.index_of(symbol)] = w
        weights[1, history.index_of(btc)] = 1.0
        trading = np.array([True, k == 0])
        column = ledger.column(t)
        ledger.rebalance(books, column, weights, trading, COST)
        following = times[k + 1] if k + 1 < len(times) else int(end.timestamp() * 1000)
        ledger.carry(books, column, ledger.column(following))
    curves = books.equity_curves()
    return {"policy": curves[0], "btc_hold": curves[1]}


async def baseline_targets(session: AsyncSession, at: datetime, *, sparse: bool) -> Any:
    """The named baselines' targets at `at` from the record's sparse history or the full one."""
    records = TrackRecordRepository(session)
    lookback = HOUR * (30 * 24 + 1)
    eligible = await records.eligible_at(at)
    if sparse:
        symbols = [*eligible, "BTCUSDT"]
        bars = await records.baseline_bars(symbols, at - lookback, at - 24 * HOUR, at - HOUR)
        history = (await history_of(session, bars))[0]
    else:
        history = await load_db_history(session, at - lookback, at - HOUR)
    universe = LiveUniverse.at(history, int(at.timestamp() * 1000), eligible)
    return named_targets(universe, benchmark="BTCUSDT", top=3, momentum_days=30, first=True)


async def stored_equity(session: AsyncSession) -> dict[str, np.ndarray]:
    rows = (await session.execute(
        select(TrackRecordHour.strategy, TrackRecordHour.equity)
        .order_by(TrackRecordHour.strategy, TrackRecordHour.at)
    )).all()  # fmt: skip
    out: dict[str, list[float]] = {}
    for strategy, equity in rows:
        out.setdefault(strategy, []).append(equity)
    return {s: np.array(v) for s, v in out.items()}


class TestTrackRecord:
    async def test_hour_by_hour_it_equals_the_replay_of_the_same_decisions(
        self, stored: Any, tmp_path: Path
    ) -> None:
        sessions, inception, end, names = stored
        now = inception - HOUR
        while now < end:  # the clock advances hour by hour; each update marks what is stored
            now += HOUR
            await update(sessions, now + timedelta(minutes=3))
        async with sessions() as session:
            equity = await stored_equity(session)
            rows = list((await session.scalars(
                select(TrackRecordDecision).order_by(TrackRecordDecision.at)
            )).all())  # fmt: skip
            history = await load_db_history(session, inception - 40 * 24 * HOUR, end - HOUR)
            timeline = await portfolio_timeline(session, None, end)
            for row in rows:  # the record's sparse history decides as the full one would
                assert await baseline_targets(session, row.at, sparse=True) == (
                    await baseline_targets(session, row.at, sparse=False)
                )
            document = await LiveEvidence(session).document()
        hours = int((end - inception) / HOUR) + 1
        assert {s: v.size for s, v in equity.items()} == dict.fromkeys(
            ("btc_hold", "equal_weight", "momentum", "policy", "random", "top_volume"), hours
        )
        # Decisions: on the hour, the next close after an off-hour row, two rows in one hour one.
        assert [r.at - inception for r in rows] == [timedelta(0), 26 * HOUR, 51 * HOUR, 81 * HOUR]
        assert rows[3].reason == "test rebalance"
        assert rows[3].weights == {names[k]: 0.25 for k in (1, 2, 3, 5)}
        expected = ledger_equity(history, rows, "BTCUSDT", end)
        for name in ("policy", "btc_hold"):
            assert expected[name].size == hours
            np.testing.assert_allclose(equity[name], expected[name], rtol=0, atol=1e-9)
        assert equity["policy"][0] == 1.0 and equity["policy"][-1] != 1.0
        assert len(set(equity["btc_hold"].round(6))) > 10  # it moved with the market
        # The example, following the exported timeline on a candle folder, gets the same.
        (tmp_path / "timeline.csv").write_bytes(timeline.csv())
        close, rate = read_candles(write_csv_folder(history, tmp_path / "candles"), names)
        followed = follow(read_timeline(str(tmp_path / "timeline.csv")), close, rate, 6.0)
        marked = pd.date_range(inception, end, freq="h")
        np.testing.assert_allclose(
            followed.reindex(marked).to_numpy(), equity["policy"], rtol=0, atol=1e-9
        )
        # The document: whole record, hit rate of the one replacement once 7 days passed.
        assert document["hours"] == hours and document["decisions"] == 4
        assert document["gap_hours"] == 0
        assert [s["decisions"] for s in document["segments"]] == [4]
        figures = document["windows"]["since_inception"]["strategies"]["policy"]
        assert figures["total_return"] == pytest.approx(equity["policy"][-1] - 1.0, abs=1e-9)
        assert document["windows"]["last_30d"]["complete"] is False
        assert document["replacements"]["n"] == 0  # its 7 days have not passed
        assert all(len(curve) == hours for curve in document["equity"].values())

    async def test_no_hour_counted_twice_and_a_restart_resumes(self, stored: Any) -> None:
        sessions, inception, end, _ = stored
        first = inception + 10 * HOUR
        await update(sessions, first)
        # An update that dies before its commit (a replica killed mid-update) leaves nothing.
        async with sessions() as session:
            await TrackRecordUpdater(session).update(first + 5 * HOUR)
            await session.rollback()
        # Two replicas at once: one marks the hours, the other keeps nothing.
        outcomes = await asyncio.gather(
            *(update(sessions, first + 20 * HOUR) for _ in range(2)), return_exceptions=True
        )
        assert sum(o is None for o in outcomes) >= 1  # the loser raised (LostRace, or busy)
        await update(sessions, end)  # a fresh updater resumes from the stored state
        async with sessions() as session:
            counts = dict((await session.execute(
                select(TrackRecordHour.strategy, func.count()).group_by(TrackRecordHour.strategy)
            )).all())  # fmt: skip
            resumed = await stored_equity(session)
        hours = int((end - inception) / HOUR) + 1
        assert set(counts.values()) == {hours}
        # The same record as one moved forward an hour at a time.
        other = await fresh_copy(sessions, end)
        np.testing.assert_allclose(resumed["policy"], other, rtol=0, atol=1e-12)


async def fresh_copy(sessions: async_sessionmaker[AsyncSession], end: datetime) -> np.ndarray:
    """The policy's equity recomputed in one transaction from scratch (rolled back)."""
    async with sessions() as session:
        await session.execute(TrackRecordHour.__table__.delete())
        await session.execute(TrackRecordDecision.__table__.delete())
        await session.execute(TrackRecord.__table__.delete())
        await TrackRecordUpdater(session).update(end)
        equity = await stored_equity(session)
        await session.rollback()
    return equity["policy"]
