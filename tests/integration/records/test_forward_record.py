"""The forward record on PostgreSQL and SQLite: history imported from the simulator, the record
started, then moved forward over 60 hours (a replacement made by hand on the way); the policy's
shadow book, every challenger's and the baselines' equal a replay of the same stored history
with the same configuration and lag, to 1e-9; a challenger registered later starts then (never
backfilled); the daily judgements exist; two updates at once count no hour twice and an update
that dies before its commit keeps nothing; the kept window reads as the database does; with the
autopilot on, the real portfolio follows the policy book and the as-run record equals it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import aiohttp
import numpy as np
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.books.db_source import load_db_history
from app.books.simulation.market_history import MarketHistory
from app.books.simulation.replay_params import ReplayParams
from app.kucoin.gateway import KucoinGateway
from app.lab.history_import import HistoryImportService
from app.lab.replay.replaying import replayed
from app.market.contracts import trading_sessions
from app.market.contracts.categories import UNKNOWN
from app.market.models import Candle, FundingSettlement
from app.market.prices import PriceCache
from app.market.repository.candles import CandleRepository
from app.platform.core.environment import Environment
from app.platform.core.units import HOUR_MS
from app.platform.db.engine import create_engine, create_sessionmaker
from app.portfolio.autopilot import AutopilotService
from app.portfolio.models import PortfolioHistory
from app.portfolio.policy.settings import PolicyConfig
from app.portfolio.repository import PortfolioRepository
from app.portfolio.service import MySymbolsService
from app.records.as_run_update import AsRunService
from app.records.forward_read import ForwardEvidenceService
from app.records.forward_service import ForwardService
from app.records.forward_update import BASELINES, ForwardUpdater, shadow_tracks
from app.records.keeping.as_run import AS_RUN
from app.records.keeping.challengers import CHALLENGERS
from app.records.keeping.forward import POLICY
from app.records.models import ForwardDay, ForwardHour, ForwardRecord, TrackRecordHour
from app.records.repository.one_row import LostRace
from app.records.window import window_history
from tests.factories import make_symbol
from tests.helpers import set_config
from tests.kucoin_sim.app import KucoinSimulator
from tests.sim_fixtures import live_clock_ms, make_client, make_gateway

HOUR = timedelta(hours=1)
HALF_HOUR = timedelta(minutes=30)
HOURS = 60
DAY = timedelta(days=1)


@pytest.fixture
def sim_config() -> dict[str, Any]:
    return {"universe": 6, "start_time_ms": live_clock_ms(), "candle_hours": 24 * 40}


@pytest.fixture(params=["postgres", "sqlite"])
def database(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"committed_{request.param}"))


@pytest.fixture
async def gateway(http: aiohttp.ClientSession, sim: KucoinSimulator) -> KucoinGateway:
    return make_gateway(make_client(http, sim.base_url))


Stored = tuple[async_sessionmaker[AsyncSession], datetime, datetime]


@pytest.fixture
async def stored(
    database: str, gateway: KucoinGateway, make_environment: Callable[..., Environment]
) -> AsyncIterator[Stored]:
    """35 days of the simulator's history imported; the record's inception 60 hours before
    the last stored close, with two midnights after it."""
    engine = create_engine(make_environment(database))
    sessions = create_sessionmaker(engine)
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - 2 * HOUR
    await HistoryImportService(sessions, gateway).run(end - timedelta(days=35), end)
    yield sessions, end - HOURS * HOUR, end
    await engine.dispose()


def challengers(inception: datetime) -> list[Any]:
    """Every registered challenger, registered at inception; the last one 30 hours later."""
    out = [replace(c, registered_at=inception) for c in CHALLENGERS]
    out[-1] = replace(out[-1], registered_at=inception + 30 * HOUR)
    return out


async def run_forward(sessions: async_sessionmaker[AsyncSession], inception: datetime) -> None:
    """The record started before inception, then moved as the clock advances: a few hours
    per update, so the state is stored and read back between them (one update, then the next
    from a fresh session)."""
    async with sessions() as session:
        await ForwardUpdater(session, challengers(inception)).update(inception - HALF_HOUR)
        await session.commit()
    marked = 0
    for step in (1, 5, 11, 24, 37, HOURS + 2):
        if step == 24:  # a person's replacement on the real portfolio: never the policy's book
            async with sessions() as session:
                session.add(
                    PortfolioHistory(
                        occurred_at=inception + 20 * HOUR,
                        action="replace",
                        actor="desk-key",
                        reason="by hand",
                        symbol="ETHUSDT",
                        replaced_symbol="BTCUSDT",
                        details={"portfolio": [{"symbol": "ETHUSDT", "rank": 1, "weight": "100"}]},
                    )
                )
                await session.commit()
        async with sessions() as session:
            updated = await ForwardUpdater(session, challengers(inception)).update(
                inception + step * HOUR
            )
            await session.commit()
        marked += updated.hours
    assert marked > HOURS


async def stored_equity(session: AsyncSession) -> dict[str, dict[datetime, float]]:
    out: dict[str, dict[datetime, float]] = {}
    for book, at, equity in (
        await session.execute(select(ForwardHour.book, ForwardHour.at, ForwardHour.equity))
    ).all():
        out.setdefault(book, {})[at] = equity
    return out


def replay_curve(
    history: Any, config: PolicyConfig, start: datetime, end: datetime, every_h: int
) -> dict[str, Any]:
    params = ReplayParams(
        int(start.timestamp() * 1000),
        int(end.timestamp() * 1000),
        every_h,
        fee_bps=6.0,
        random_draws=BASELINES.random_draws,
        random_seed=BASELINES.random_seed,
        momentum_days=BASELINES.momentum_days,
    )
    _, run = replayed(history, config, params)
    return run.books


def assert_equal_from(
    forward: dict[datetime, float], replayed_equity: np.ndarray, first: datetime
) -> None:
    """The forward curve from `first` (the replay's first trade) equals the replay's."""
    hours = [first + k * HOUR for k in range(replayed_equity.size)]
    ours = np.array([forward[h] for h in hours])
    np.testing.assert_allclose(ours, replayed_equity, rtol=0, atol=1e-9)


class TestForwardRecord:
    async def test_every_book_equals_a_replay_of_the_same_stored_history(
        self, stored: Stored
    ) -> None:
        sessions, inception, end = stored
        await run_forward(sessions, inception)
        async with sessions() as session:
            record = await session.get(ForwardRecord, 1)
            assert record is not None and record.inception_at == inception
            marked_to = record.last_hour
            equity = await stored_equity(session)
            tracks = await shadow_tracks(session, inception, challengers(inception))
            history = await load_db_history(session, end - timedelta(days=35), marked_to - HOUR)
            days = (await session.scalars(select(ForwardDay))).all()
        assert marked_to >= end
        lag = HOUR  # the replay's default execution lag
        for track in tracks:
            start = datetime.fromtimestamp(track.starts_ms / 1000, UTC)
            books = replay_curve(history, track.config, start, marked_to, 1)
            assert_equal_from(equity[track.book], books["policy"].equity, start + lag)
            assert min(equity[track.book]) >= start, track.book  # never backfilled
        # the baselines' first decision: the first 00:00 at or after inception (inception is
        # 60 hours before the last close, so itself a midnight when a test starts at 14:xx)
        midnight = inception if inception.hour == 0 else inception.replace(hour=0) + DAY
        books = replay_curve(history, tracks[0].config, midnight, marked_to, 24)
        for name in ("btc_hold", "equal_weight", "top_volume", "momentum", "random"):
            assert_equal_from(equity[name], books[name].equity, midnight + lag)
        # One daily judgement per scoring book active at the first midnight, once its day ended.
        judged = {(d.book, d.decided_at) for d in days}
        assert (POLICY, midnight) in judged
        assert all(d.following_at <= marked_to for d in days)
        assert all(d.skill_ic is None or -1.0 <= d.skill_ic <= 1.0 for d in days)
        assert all(d.fee_bps == 6.0 and d.slippage_bps == 0.0 for d in days)
        async with sessions() as session:
            section = await ForwardEvidenceService(session).section()
        assert section is not None
        spans = section.books[POLICY].segments  # one configuration and cost throughout
        assert spans is not None
        assert [(s.config_hash, s.fee_bps, s.slippage_bps) for s in spans] == [
            (tracks[0].config_hash, 6.0, 0.0)
        ]
        assert spans[0].decisions == sum(1 for d in days if d.book == POLICY)
        policy_day = next(d for d in days if d.book == POLICY and d.decided_at == midnight)
        first = equity[POLICY][policy_day.entry_at]
        assert policy_day.book_return == pytest.approx(
            equity[POLICY][policy_day.following_at] / first - 1.0, abs=1e-12
        )

    async def test_a_rule_released_mid_record_rewrites_nothing_marked_before(
        self, stored: Stored, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A release changes the category rule: every hour and day the record marked before
        keeps its figures, and the record marks on from there (no backfill)."""
        sessions, inception, _ = stored

        async def marked() -> tuple[dict[tuple[str, datetime], float], int]:
            async with sessions() as session:
                hours = (await session.scalars(select(ForwardHour))).all()
                days = await session.scalar(select(func.count()).select_from(ForwardDay))
            return {(h.book, h.at): h.equity for h in hours}, int(days or 0)

        for until in (inception - HALF_HOUR, inception + 30 * HOUR):
            async with sessions() as session:
                await ForwardUpdater(session, []).update(until)
                await session.commit()
        before, days_before = await marked()
        monkeypatch.setattr(trading_sessions, "_verdict", lambda *_: UNKNOWN)  # all excluded
        async with sessions() as session:
            updated = await ForwardUpdater(session, []).update(inception + HOURS * HOUR)
            await session.commit()
        after, days_after = await marked()
        assert before and {k: after[k] for k in before} == before
        assert updated.marked_from == inception + 31 * HOUR and len(after) > len(before)
        assert days_after >= days_before

    async def test_two_updates_at_once_mark_each_hour_once(self, stored: Stored) -> None:
        sessions, inception, _ = stored
        async with sessions() as session:
            await ForwardUpdater(session, []).update(inception - HALF_HOUR)
            await session.commit()

        async def one() -> str:
            async with sessions() as session:
                try:
                    await ForwardUpdater(session, []).update(inception + 10 * HOUR)
                    await session.commit()
                    return "won"
                except LostRace:
                    await session.rollback()
                    return "lost"
                except Exception as exc:  # a concurrent insert on the same keys
                    await session.rollback()
                    return type(exc).__name__

        outcomes = await asyncio.gather(one(), one())
        assert outcomes.count("won") == 1
        async with sessions() as session:
            hours = await session.scalar(
                select(func.count()).select_from(ForwardHour).where(ForwardHour.book == POLICY)
            )
            record = await session.get(ForwardRecord, 1)
        assert record is not None
        assert hours == (record.last_hour - inception) // HOUR + 1

    async def test_an_update_that_dies_before_commit_keeps_nothing(self, stored: Stored) -> None:
        sessions, inception, _ = stored
        async with sessions() as session:
            await ForwardUpdater(session, []).update(inception - HALF_HOUR)
            await session.commit()
        async with sessions() as session:
            await ForwardUpdater(session, []).update(inception + 5 * HOUR)
            await session.rollback()  # the process died before its commit
        async with sessions() as session:
            record = await session.get(ForwardRecord, 1)
            hours = await session.scalar(select(func.count()).select_from(ForwardHour))
        assert record is not None and record.last_hour == inception - HOUR
        assert hours == 0
        assert int(inception.timestamp() * 1000) % HOUR_MS == 0
        async with sessions() as session:  # the state that update kept is not taken back
            updated = await ForwardUpdater(session, []).update(inception + 5 * HOUR)
            await session.commit()
        assert updated.marked_from == inception and updated.hours == 6


def assert_same_history(kept: MarketHistory, read: MarketHistory) -> None:
    assert kept.symbols == read.symbols
    np.testing.assert_array_equal(kept.grid_ms, read.grid_ms)
    for name in ("open", "high", "low", "close", "volume"):
        np.testing.assert_array_equal(getattr(kept, name), getattr(read, name))
    for mine, theirs in zip(kept.funding, read.funding, strict=True):
        assert (mine is None) == (theirs is None)
        if mine is not None and theirs is not None:
            np.testing.assert_array_equal(mine.at_ms, theirs.at_ms)
            np.testing.assert_array_equal(mine.rate, theirs.rate)


class TestKeptWindow:
    async def test_it_reads_as_the_database_hour_after_hour_and_after_a_backfill(
        self, stored: Stored
    ) -> None:
        sessions, inception, _ = stored
        span = 100 * HOUR
        async with sessions() as session:
            for k in range(3):  # moving forward: only the newer hours read
                last = inception + k * HOUR
                assert_same_history(
                    await window_history(session, last - span, last),
                    await load_db_history(session, last - span, last),
                )
            late = await make_symbol(session, "LATE")
            for h in range(60, 30, -1):  # a contract's history stored after the fact
                at = last - h * HOUR
                session.add(
                    Candle(
                        symbol_id=late.id,
                        granularity_min=60,
                        open_time=at,
                        open=1.0,
                        high=1.1,
                        low=0.9,
                        close=1.0,
                        volume=5.0,
                    )
                )
            session.add(
                FundingSettlement(symbol_id=late.id, settled_at=last - 40 * HOUR, rate=0.0001)
            )
            await session.flush()
            following = last + HOUR
            kept = await window_history(session, following - span, following)
            assert "LATEUSDT" in kept.symbols
            assert_same_history(kept, await load_db_history(session, following - span, following))

    @pytest.mark.parametrize("days", [4, 60], ids=["inside the history", "longer than it"])
    async def test_each_later_hour_reads_only_that_hour(
        self, stored: Stored, days: int, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A window longer than the 35 days stored starts at the first stored hour and grows
        by the hour: read in full each hour, it took a second of 400 contracts' candles."""
        sessions, inception, _ = stored
        span = days * 24 * HOUR
        asked: list[tuple[datetime, datetime]] = []
        bars = CandleRepository.bars

        def spied(self: CandleRepository, granularity: int, start: datetime, end: datetime) -> Any:
            asked.append((start, end))
            return bars(self, granularity, start, end)

        monkeypatch.setattr(CandleRepository, "bars", spied)
        async with sessions() as session:
            first = await window_history(session, inception - span, inception)
            for k in range(1, 4):
                last = inception + k * HOUR
                asked.clear()
                kept = await window_history(session, last - span, last)
                assert asked == [(last, last)]
                assert_same_history(kept, await load_db_history(session, last - span, last))
        grown = kept.grid_ms.size - first.grid_ms.size
        assert grown == (3 if days == 60 else 0)

    async def test_what_a_caller_derives_from_the_window_is_not_kept(self, stored: Stored) -> None:
        """A decision derives arrays as large as the window's own (marks, returns, cached on
        the history it reads): kept for the hour, they doubled the kept bytes (bench_soak)."""
        sessions, inception, _ = stored
        span = 100 * HOUR
        async with sessions() as session:
            first = await window_history(session, inception - span, inception)
            assert first.marks.shape == first.close.shape and first.log_returns.size
            again = await window_history(session, inception - span, inception)
            shifted = await window_history(session, inception + HOUR - span, inception + HOUR)
        assert again is not first and np.shares_memory(again.close, first.close)
        assert "marks" not in vars(again) and "log_returns" not in vars(again)
        assert_same_history(again, first)
        np.testing.assert_array_equal(again.marks, first.marks)
        assert "marks" not in vars(shifted)


CHURN = {
    "autopilot": True,
    "max_portfolio_symbols": 3,
    "min_holding_hours": 0,
    "replacement_margin": 0,
    "replacement_confirmation_hours": 0,
    "correlation_limit": 1.0,
    "weighting_method": "score",
    "rebalance_threshold_pct": 0.5,
    "max_position_weight": 100,
    "min_position_weight": 0,
}


def following(session: AsyncSession, gateway: KucoinGateway) -> ForwardService:
    """The `forward_record` job's service with the autopilot, without challengers."""
    membership = MySymbolsService(session, gateway, PriceCache(gateway))
    return ForwardService(session, AutopilotService(session, membership), ())


class TestAutopilot:
    async def test_the_portfolio_follows_the_policy_book_and_as_run_equals_it(
        self, stored: Stored, gateway: KucoinGateway, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The jobs run ten minutes after each hour's close (the audit's clock set to that
        moment): the forward record marks the hour and the portfolio follows its policy book,
        then the as-run record marks what is stored."""
        sessions, inception, _ = stored
        clock = [inception - HALF_HOUR]
        for module in ("service", "autopilot"):
            monkeypatch.setattr(f"app.portfolio.{module}.utcnow", lambda: clock[0])
        hours = 30
        passes = []
        for k in range(-1, hours):
            clock[0] = inception + k * HOUR + timedelta(minutes=10)
            async with sessions() as session:
                if k == -1:  # three places, any lead replaces, uncapped score weights drift
                    for key, value in CHURN.items():
                        await set_config(session, key, value)
                out = await following(session, gateway).update(clock[0])
                await AsRunService(session).update(clock[0])
                await session.commit()
            passes.append(out.get("autopilot"))
        async with sessions() as session:
            forward = (await stored_equity(session))[POLICY]
            query = select(TrackRecordHour.at, TrackRecordHour.equity).where(
                TrackRecordHour.strategy == AS_RUN
            )
            as_run = {at: equity for at, equity in (await session.execute(query)).all()}
            held = {
                r.symbol.symbol: r.member.weight
                for r in await PortfolioRepository(session).active()
            }
            actors = set((await session.scalars(select(PortfolioHistory.actor))).all())
            record = await session.get(ForwardRecord, 1)
        assert passes[0] is None
        assert all(p is not None and "refused" not in p for p in passes[1:])
        assert passes[1]["added"], "the first decision fills the empty portfolio"
        assert any(p["rebalance_history_id"] for p in passes[2:]), "and later rebalances"
        assert actors == {"autopilot"}
        assert record is not None
        stored_policy = record.state["policies"][POLICY]
        assert held == {s: Decimal(w) for s, w in stored_policy["weights"].items()}
        # The as-run record starts at the first decision's trade, as the book's first trade.
        first = inception + HOUR
        assert min(as_run) == first
        common = sorted(at for at in as_run if at in forward)
        assert common == [first + k * HOUR for k in range(len(common))]
        assert len(common) >= hours - 2
        np.testing.assert_allclose(
            [as_run[at] for at in common], [forward[at] for at in common], rtol=0, atol=1e-9
        )
