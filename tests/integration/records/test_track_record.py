"""The live as-run record on PostgreSQL and SQLite: history imported from the simulator, a few
decisions in the audit trail by several actors, the record moved forward hour by hour as the
clock advances; its `as_run` equity equals the replay ledger's on the same stored history and
decisions (and the timeline example's), to 1e-9, and each decision keeps its actors, reasons
and costs; `GET /evidence/live` answers from the first decision on, before any hour is marked;
a fee change starts a segment; an update that dies before its commit leaves nothing, two at
once count no hour twice, a fresh updater resumes where the last one stopped."""

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

from app.books.db_source import load_db_history
from app.books.simulation.market_history import MarketHistory
from app.kucoin.gateway import KucoinGateway
from app.lab.history_import import HistoryImportService
from app.lab.replay.simulate import Books, Ledger
from app.main import create_app
from app.market.models import Symbol
from app.platform.core.environment import Environment
from app.platform.db.engine import create_engine, create_sessionmaker
from app.portfolio.audit_trail import AuditTrailService
from app.portfolio.models import PortfolioHistory
from app.records.as_run_read import LiveEvidenceService
from app.records.as_run_update import AsRunService
from app.records.models import TrackRecord, TrackRecordDecision, TrackRecordHour
from app.records.repository.as_run import AsRunRepository
from examples.follow_timeline import follow, read_candles, read_timeline
from tests.conftest import READ_KEY, start_app
from tests.helpers import set_config
from tests.kucoin_sim.app import KucoinSimulator
from tests.replay_data import write_csv_folder
from tests.sim_fixtures import live_clock_ms, make_client, make_gateway

HOUR = timedelta(hours=1)
DAYS = 5
COST = 6e-4  # the default fee, 6 bps, no slippage
LIVE = "/api/symbol-mgmt/evidence/live"


@pytest.fixture
def sim_config() -> dict[str, Any]:
    return {"universe": 6, "start_time_ms": live_clock_ms(), "candle_hours": 24 * 10}


@pytest.fixture(params=["postgres", "sqlite"])
def database(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"committed_{request.param}"))


@pytest.fixture
async def gateway(http: aiohttp.ClientSession, sim: KucoinSimulator) -> KucoinGateway:
    return make_gateway(make_client(http, sim.base_url))


@pytest.fixture
async def stored(
    database: str, gateway: KucoinGateway, make_environment: Callable[..., Environment]
) -> AsyncIterator[tuple[async_sessionmaker[AsyncSession], datetime, datetime, list[str]]]:
    """A week of the simulator's history imported and the audit rows of `decisions`."""
    engine = create_engine(make_environment(database))
    sessions = create_sessionmaker(engine)
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - 2 * HOUR
    start = end - timedelta(days=DAYS + 2)
    await HistoryImportService(sessions, gateway).run(start, end)
    async with sessions() as session:
        symbols = list((await session.scalars(select(Symbol).order_by(Symbol.symbol))).all())
        inception = end - timedelta(days=DAYS)
        names = [s.symbol for s in symbols]
        for at, action, actor, members, columns in decisions(inception, names):
            session.add(
                PortfolioHistory(
                    occurred_at=at,
                    action=action,
                    actor=actor,
                    reason=f"test {action}",
                    details={
                        "portfolio": [
                            {"symbol": s, "rank": r + 1, "weight": w}
                            for r, (s, w) in enumerate(members)
                        ]
                    },
                    **columns,
                )
            )
        await session.commit()
    yield sessions, inception, end, names
    await engine.dispose()


def decisions(
    inception: datetime, names: list[str]
) -> list[tuple[datetime, str, str, list[tuple[str, str]], dict[str, str]]]:
    """Four members (the scheduler's), a replacement by hand (an API key's name), a weight
    change off the hour (it trades at the next close), and two rows of two actors in one hour
    (the last holds)."""
    a, b, c, d, e = names[1:6]
    return [
        (
            inception,
            "add",
            "scheduler",
            [(a, "25"), (b, "25"), (c, "25"), (d, "25")],
            {"symbol": d},
        ),
        (
            inception + 26 * HOUR,
            "replace",
            "desk-key",
            [(a, "25"), (b, "25"), (c, "25"), (e, "25")],
            {"symbol": e, "replaced_symbol": d},
        ),
        (
            inception + 50 * HOUR + timedelta(minutes=20),
            "weight_change",
            "autopilot",
            [(a, "40"), (b, "30"), (c, "20"), (e, "10")],
            {},
        ),
        (
            inception + 80 * HOUR + timedelta(minutes=5),
            "rebalance",
            "autopilot",
            [(a, "30"), (b, "30"), (c, "20"), (e, "20")],
            {},
        ),
        (
            inception + 80 * HOUR + timedelta(minutes=40),
            "rebalance",
            "scheduler",
            [(a, "25"), (b, "25"), (c, "25"), (e, "25")],
            {},
        ),
    ]


async def markable_now(sessions: async_sessionmaker[AsyncSession]) -> datetime:
    """The newest hour the stored candles let the record mark now."""
    async with sessions() as session:
        last_open = await AsRunRepository(session).last_candle_open()
    assert last_open is not None
    return min(last_open + HOUR, datetime.now(UTC).replace(minute=0, second=0, microsecond=0))


async def update(sessions: async_sessionmaker[AsyncSession], now: datetime) -> None:
    async with sessions() as session:
        await AsRunService(session).update(now)
        await session.commit()


def ledger_equity(
    history: MarketHistory, rows: list[TrackRecordDecision], end: datetime
) -> np.ndarray:
    """The replay's ledger over the same history, trading to each recorded decision's weights."""
    ledger = Ledger(history)
    books = Books.empty(1, history.size)
    times = [int(r.at.timestamp() * 1000) for r in rows]
    books.equity.append(ledger.values(books, ledger.column(times[0]))[:, None])
    for k, (t, row) in enumerate(zip(times, rows, strict=True)):
        weights = np.zeros((1, history.size))
        for symbol, w in row.weights.items():
            weights[0, history.index_of(symbol)] = w
        column = ledger.column(t)
        ledger.rebalance(books, column, weights, np.array([True]), COST)
        following = times[k + 1] if k + 1 < len(times) else int(end.timestamp() * 1000)
        ledger.carry(books, column, ledger.column(following))
    return np.asarray(books.equity_curves()[0])


async def stored_equity(session: AsyncSession) -> dict[str, np.ndarray]:
    rows = (
        await session.execute(
            select(TrackRecordHour.strategy, TrackRecordHour.equity).order_by(
                TrackRecordHour.strategy, TrackRecordHour.at
            )
        )
    ).all()
    out: dict[str, list[float]] = {}
    for strategy, equity in rows:
        out.setdefault(strategy, []).append(equity)
    return {s: np.array(v) for s, v in out.items()}


class TestAsRunRecord:
    async def test_hour_by_hour_it_equals_the_replay_of_the_same_decisions(
        self, stored: Any, gateway: KucoinGateway, tmp_path: Path
    ) -> None:
        sessions, inception, end, names = stored
        now = inception - HOUR
        while now < end:  # the clock advances hour by hour; each update marks what is stored
            now += HOUR
            await update(sessions, now + timedelta(minutes=3))
        async with sessions() as session:
            equity = await stored_equity(session)
            rows = list(
                (
                    await session.scalars(
                        select(TrackRecordDecision).order_by(TrackRecordDecision.at)
                    )
                ).all()
            )
            history = await load_db_history(session, inception - 3 * 24 * HOUR, end - HOUR)
            trail = AuditTrailService(session, gateway)
            timeline = await trail.timeline(None, end, earliest=inception - HOUR)
            document = (await LiveEvidenceService(session).document()).as_run
        assert document is not None
        hours = int((end - inception) / HOUR) + 1
        assert {s: v.size for s, v in equity.items()} == {"as_run": hours}  # no baselines kept
        # Decisions: on the hour, the next close after an off-hour row, two rows in one hour one.
        assert [r.at - inception for r in rows] == [timedelta(0), 26 * HOUR, 51 * HOUR, 81 * HOUR]
        assert [r.actor for r in rows] == [
            "scheduler",
            "desk-key",
            "autopilot",
            "autopilot+scheduler",
        ]
        assert rows[1].reason == "test replace" and rows[3].reason == "test rebalance"
        assert {(r.fee_bps, r.slippage_bps) for r in rows} == {(6.0, 0.0)}
        assert rows[3].weights == {names[k]: 0.25 for k in (1, 2, 3, 5)}
        assert all(set(r.turnover) == set(r.fees) == {"as_run"} for r in rows)
        expected = ledger_equity(history, rows, end)
        assert expected.size == hours
        np.testing.assert_allclose(equity["as_run"], expected, rtol=0, atol=1e-9)
        assert equity["as_run"][0] == 1.0 and equity["as_run"][-1] != 1.0
        # The example, following the exported timeline on a candle folder, gets the same.
        (tmp_path / "timeline.csv").write_bytes(timeline.csv())
        close, rate = read_candles(write_csv_folder(history, tmp_path / "candles"), names)
        followed = follow(read_timeline(str(tmp_path / "timeline.csv")), close, rate, 6.0)
        marked = pd.date_range(inception, end, freq="h")
        np.testing.assert_allclose(
            followed.reindex(marked).to_numpy(), equity["as_run"], rtol=0, atol=1e-9
        )
        # The document: whole record, hit rate of the one replacement once 7 days passed.
        assert document.hours == hours and document.decisions == 4
        assert document.marked_to == end
        assert document.gap_hours == 0
        # Marked to `end` by the clock; the hour the importer stored past it waits.
        assert document.hours_to_mark == int((await markable_now(sessions) - end) / HOUR)
        assert [(s.decisions, s.fee_bps) for s in document.segments] == [(4, 6.0)]
        figures = document.windows["since_inception"].books["as_run"]
        assert figures.total_return == pytest.approx(equity["as_run"][-1] - 1.0, abs=1e-9)
        assert figures.turnover is not None and figures.fees is not None and figures.fees > 0
        assert document.windows["last_30d"].complete is False
        assert document.replacements.n == 0  # its 7 days have not passed
        assert document.replacements.decisions == 0
        assert {name: len(curve) for name, curve in document.equity.items()} == {"as_run": hours}

    async def test_answers_from_the_first_decision_before_any_hour_is_marked(
        self, stored: Any, make_environment: Callable[..., Environment], database: str
    ) -> None:
        sessions, inception, end, _ = stored
        environment = make_environment(database)
        async for client in start_app(create_app(environment)):
            response = await client.get(LIVE, headers={"X-API-Key": READ_KEY})
        assert response.status_code == 200, response.text
        document = response.json()["as_run"]
        assert document["inception"] == inception.isoformat().replace("+00:00", "Z")
        assert (document["marked_to"], document["updated_at"]) == (None, None)
        assert (document["hours"], document["decisions"], document["segments"]) == (0, 0, [])
        # Every stored hour from inception on waits: the next update marks them all.
        markable = await markable_now(sessions)
        assert markable >= end
        assert document["hours_to_mark"] == int((markable - inception) / HOUR) + 1 > 0
        window = document["windows"]["since_inception"]
        assert (window["from"], window["to"], window["complete"]) == (
            document["inception"],
            document["inception"],
            False,
        )
        assert window["books"]["as_run"] == {
            "total_return": 0.0,
            "cagr": None,
            "volatility": None,
            "sharpe": None,
            "max_drawdown": 0.0,
            "turnover": None,
            "fees": 0.0,
        }
        assert document["equity"] == {"as_run": []}
        assert document["replacements"]["n"] == 0
        await update(sessions, datetime.now(UTC))
        async with sessions() as session:
            marked = (await LiveEvidenceService(session).document()).as_run
        assert marked is not None
        assert marked.hours == document["hours_to_mark"] and marked.hours_to_mark == 0

    async def test_a_fee_change_starts_a_segment(self, stored: Any) -> None:
        sessions, inception, end, _ = stored
        await update(sessions, inception + 30 * HOUR)  # the first two decisions at 6 bps
        async with sessions() as session:
            await set_config(session, "track_record_fee_bps", 10.0)
            await session.commit()
        await update(sessions, end)
        async with sessions() as session:
            rows = list(
                (
                    await session.scalars(
                        select(TrackRecordDecision).order_by(TrackRecordDecision.at)
                    )
                ).all()
            )
            document = (await LiveEvidenceService(session).document()).as_run
        assert document is not None
        assert [r.fee_bps for r in rows] == [6.0, 6.0, 10.0, 10.0]
        assert len({r.config_hash for r in rows}) == 1  # the same configuration throughout
        at = [r.at for r in rows]
        assert [
            (s.fee_bps, s.slippage_bps, s.from_, s.to, s.decisions) for s in document.segments
        ] == [(6.0, 0.0, at[0], at[2], 2), (10.0, 0.0, at[2], document.marked_to, 2)]

    async def test_no_hour_counted_twice_and_a_restart_resumes(self, stored: Any) -> None:
        sessions, inception, end, _ = stored
        first = inception + 10 * HOUR
        await update(sessions, first)
        # An update that dies before its commit (a replica killed mid-update) leaves nothing.
        async with sessions() as session:
            await AsRunService(session).update(first + 5 * HOUR)
            await session.rollback()
        # Two replicas at once: one marks the hours, the other keeps nothing.
        outcomes = await asyncio.gather(
            *(update(sessions, first + 20 * HOUR) for _ in range(2)), return_exceptions=True
        )
        assert sum(o is None for o in outcomes) >= 1  # the loser raised (LostRace, or busy)
        await update(sessions, end)  # a fresh updater resumes from the stored state
        async with sessions() as session:
            counts = dict(
                (
                    await session.execute(
                        select(TrackRecordHour.strategy, func.count()).group_by(
                            TrackRecordHour.strategy
                        )
                    )
                ).all()
            )
            resumed = await stored_equity(session)
        hours = int((end - inception) / HOUR) + 1
        assert set(counts.values()) == {hours}
        # The same record as one moved forward an hour at a time.
        other = await fresh_copy(sessions, end)
        np.testing.assert_allclose(resumed["as_run"], other, rtol=0, atol=1e-12)


async def fresh_copy(sessions: async_sessionmaker[AsyncSession], end: datetime) -> np.ndarray:
    """The as-run equity recomputed in one transaction from scratch (rolled back)."""
    async with sessions() as session:
        await session.execute(TrackRecordHour.__table__.delete())
        await session.execute(TrackRecordDecision.__table__.delete())
        await session.execute(TrackRecord.__table__.delete())
        await AsRunService(session).update(end)
        equity = await stored_equity(session)
        await session.rollback()
    return equity["as_run"]
