"""Replays of the service's own history: a KuCoin import (resumable) into the database, the
database and a CSV folder of the same candles giving the same replay, and POST /replays end to
end, on PostgreSQL and SQLite."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import numpy as np
import pytest
from sqlalchemy import event

from app.books.db_source import load_db_history
from app.books.replay_config import default_run_config, policy_config
from app.books.simulation.funding_index import Funding
from app.books.simulation.market_history import MarketHistory
from app.books.simulation.replay_params import ReplayParams
from app.configuration.registry import DEFAULTS
from app.kucoin.gateway import KucoinGateway
from app.lab.csv_source import load_csv_folder
from app.lab.history_import import HistoryImportService
from app.lab.models import ReplayRun
from app.lab.replay.replaying import replay
from app.main import create_app
from app.market.contracts.data_source import NOTES, SIMULATOR
from app.platform.core.environment import Environment
from app.platform.core.units import HOUR_MS
from app.platform.db.engine import create_engine, create_sessionmaker
from app.platform.db.sqlite_writer import readers
from tests.conftest import READ_KEY, start_app
from tests.helpers import assert_problem, run_ended
from tests.integration.committed import BASE, TRADE
from tests.kucoin_sim.app import KucoinSimulator
from tests.replay_data import write_csv_folder
from tests.sim_fixtures import live_clock_ms, make_client, make_gateway

DAYS = 14
POLICY = policy_config(default_run_config(), DEFAULTS, {"policy": {"scoring_candles": 200}})

SIMULATED = {
    "sources": ["simulator"],
    "simulated": True,
    "note": NOTES[SIMULATOR],
}


@pytest.fixture
def sim_config() -> dict[str, Any]:
    """Six contracts with three weeks of hourly history, on a live clock."""
    return {"universe": 6, "start_time_ms": live_clock_ms(), "candle_hours": 24 * 21}


@pytest.fixture(params=["postgres", "sqlite"])
def database(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"committed_{request.param}"))


@pytest.fixture
async def gateway(http: aiohttp.ClientSession, sim: KucoinSimulator) -> KucoinGateway:
    return make_gateway(make_client(http, sim.base_url))


def hour_floor(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def window() -> tuple[datetime, datetime]:
    end = hour_floor(datetime.now(UTC)) - timedelta(hours=1)
    return end - timedelta(days=DAYS), end


async def imported(
    database: str, gateway: KucoinGateway, make_environment: Callable[..., Environment]
):
    engine = create_engine(make_environment(database))
    sessionmaker = create_sessionmaker(engine)
    start, end = window()
    first = await HistoryImportService(sessionmaker, gateway).run(start, end)
    return engine, sessionmaker, first, (start, end)


async def from_kucoin(gateway: KucoinGateway, symbols: list[str], start: datetime, end: datetime):
    """What KuCoin answers for the range, as a history (the CSV route's input)."""
    grid = np.arange(int(start.timestamp() * 1000), int(end.timestamp() * 1000) + 1, HOUR_MS)
    arrays = np.full((5, len(symbols), grid.size), np.nan)
    funding: list[Funding | None] = []
    for i, symbol in enumerate(symbols):
        for bar in await gateway.get_candles(symbol, 60, start, end):
            k = (int(bar.open_time.timestamp() * 1000) - int(grid[0])) // HOUR_MS
            arrays[:, i, k] = (bar.open, bar.high, bar.low, bar.close, bar.volume)
        points = await gateway.get_funding_history(symbol, start, end)
        at = np.array([int(p.at.timestamp() * 1000) for p in points], dtype=np.int64)
        funding.append(Funding(at, np.array([p.rate for p in points])) if points else None)
    return MarketHistory(symbols, grid, *arrays, funding=funding)


class TestImportAndSources:
    async def test_the_import_resumes_and_every_source_gives_the_same_replay(
        self,
        database: str,
        gateway: KucoinGateway,
        make_environment: Callable[..., Environment],
        tmp_path: Path,
    ) -> None:
        engine, sessionmaker, first, (start, end) = await imported(
            database, gateway, make_environment
        )
        try:
            assert first.symbols_total == 6 and first.failures == {}
            assert first.candles_inserted == 6 * (DAYS * 24 + 1)
            assert first.settlements_inserted > 0
            again = await HistoryImportService(sessionmaker, gateway).run(start, end)
            assert (again.candles_inserted, again.settlements_inserted) == (0, 0)
            async with sessionmaker() as session:
                stored = await load_db_history(session, start, end)
        finally:
            await engine.dispose()
        answered = await from_kucoin(gateway, stored.symbols, start, end)
        folder = load_csv_folder(write_csv_folder(answered, tmp_path / "csv"))
        for history in (answered, folder):
            assert history.symbols == stored.symbols
            np.testing.assert_array_equal(history.grid_ms, stored.grid_ms)
            for name in ("open", "high", "low", "close", "volume"):
                np.testing.assert_array_equal(getattr(history, name), getattr(stored, name))
        params = ReplayParams(
            start_ms=int((start + timedelta(days=9)).timestamp() * 1000),
            end_ms=int(end.timestamp() * 1000) // HOUR_MS * HOUR_MS,
            every_h=24,
            random_draws=3,
        )
        reports = [replay(h, POLICY, params) for h in (stored, folder)]
        for key in ("config_hash", "strategies", "ic", "decisions"):
            assert reports[0][key] == reports[1][key]
        assert reports[0]["data"]["funding"] == "known"


class TestReplaysApi:
    @pytest.fixture
    async def api(
        self,
        database: str,
        gateway: KucoinGateway,
        sim: KucoinSimulator,
        make_environment: Callable[..., Environment],
    ) -> AsyncIterator[Any]:
        engine, _, _, _ = await imported(database, gateway, make_environment)
        await engine.dispose()
        environment = make_environment(
            database, kucoin={"futures_url": sim.base_url, "websocket_enabled": False}
        )
        async for client in start_app(create_app(environment)):
            yield client

    async def test_the_worker_reads_the_history_and_the_service_only_books_the_run(
        self,
        database: str,
        gateway: KucoinGateway,
        sim: KucoinSimulator,
        make_environment: Callable[..., Environment],
    ) -> None:
        """The candles and settlements a replay computes on are read by the lab worker,
        over a connection of its own: the service's engine runs none of those reads."""
        engine, _, _, _ = await imported(database, gateway, make_environment)
        await engine.dispose()
        app = create_app(
            make_environment(
                database, kucoin={"futures_url": sim.base_url, "websocket_enabled": False}
            )
        )
        statements: list[str] = []

        def seen(_c: Any, _cursor: Any, statement: str, *_: Any) -> None:
            statements.append(statement)

        async for api in start_app(app):
            writer = app.state.app_state.engine
            service_engines = {writer.sync_engine, readers(writer).sync_engine}
            for engine in service_engines:
                event.listen(engine, "before_cursor_execute", seen)
            start, end = window()
            body = {"from": (start + timedelta(days=10)).isoformat(), "to": end.isoformat()}
            created = await api.post(f"{BASE}/replays", json=body, headers=TRADE)
            assert created.status_code == 202, created.text
            run = await run_ended(api, created.headers["location"], {"X-API-Key": READ_KEY})
            for engine in service_engines:
                event.remove(engine, "before_cursor_execute", seen)
        assert run["status"] == "succeeded", run["error"]
        assert run["report"]["data"]["source"] == "database"
        assert run["report"]["data"]["decisions"] == 4
        # its candles came from the simulator, and the run says so where its figures are
        assert run["report"]["data"]["market_data"] == run["market_data"] == SIMULATED
        assert any("replay_run" in s for s in statements)  # the service booked it
        # ... and served the report as the database keeps it, as text: never parsed here.
        assert any("CAST(replay_run.report AS TEXT)" in s for s in statements)
        reads = [s for s in statements if "candle.volume" in s or "funding_settlement.rate" in s]
        assert reads == []

    async def test_a_replay_runs_in_the_background_and_returns_its_report(self, api: Any) -> None:
        start, end = window()
        body = {
            "from": (start + timedelta(days=10)).isoformat(),
            "to": end.isoformat(),
            "every": "24h",
            "top": 3,
            "execution_lag_h": 2,
        }
        created = await api.post(f"{BASE}/replays", json=body, headers=TRADE)
        assert created.status_code == 202, created.text
        location = created.headers["location"]
        assert location == f"{BASE}/replays/{created.json()['id']}"
        assert created.json()["params"]["execution_lag_h"] == 2
        assert created.json()["status"] == "queued"
        for _ in range(600):
            run = (await api.get(location, headers={"X-API-Key": READ_KEY})).json()
            if run["status"] in ("succeeded", "failed"):
                break
            await asyncio.sleep(0.05)
        assert run["status"] == "succeeded", run["error"]
        assert run["progress"] == 1.0 and run["config_hash"] == run["report"]["config_hash"]
        report = run["report"]
        assert set(report) == {
            "config_hash",
            "data",
            "strategies",
            "ic",
            "decisions",
            "exits",
            "selection",
        }
        assert report["selection"]["datasets"][0]["source"] == "database"
        assert report["data"]["source"] == "database" and report["data"]["decisions"] == 4
        assert all(len(d["members"]) <= 3 for d in report["decisions"])
        assert run["config"]["policy"]["max_symbols"] == 3
        # Traded 2 h after each decision, and the report and its configuration say so.
        assert report["data"]["execution_lag_h"] == run["config"]["replay"]["execution_lag_h"] == 2
        listed = (await api.get(f"{BASE}/replays", headers=TRADE)).json()
        assert [r["id"] for r in listed] == [run["id"]] and "report" not in listed[0]

    async def test_bad_requests_are_refused_and_store_nothing(self, api: Any) -> None:
        start, end = window()
        outside = {"from": (start - timedelta(days=30)).isoformat(), "to": end.isoformat()}
        assert_problem(
            await api.post(f"{BASE}/replays", json=outside, headers=TRADE),
            409,
            "insufficient-history",
        )
        typo = {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "overrides": {"policy": {"replacment_margin": 1}},
        }
        problem = assert_problem(
            await api.post(f"{BASE}/replays", json=typo, headers=TRADE), 422, "validation-error"
        )
        assert "replacment_margin" in str(problem["detail"])
        lagged = {"from": start.isoformat(), "to": end.isoformat(), "execution_lag_h": 25}
        problem = assert_problem(
            await api.post(f"{BASE}/replays", json=lagged, headers=TRADE), 422, "validation-error"
        )
        assert "execution_lag_h" in str(problem)
        backwards = {"from": end.isoformat(), "to": start.isoformat()}
        assert (await api.post(f"{BASE}/replays", json=backwards, headers=TRADE)).status_code == 422
        reader = {"X-API-Key": READ_KEY}
        assert (await api.post(f"{BASE}/replays", json=outside, headers=reader)).status_code == 403
        assert_problem(await api.get(f"{BASE}/replays/99999", headers=TRADE), 404, "not-found")
        assert (await api.get(f"{BASE}/replays", headers=TRADE)).json() == []


async def test_runs_a_stopped_process_left_behind_are_aborted_at_startup(
    database: str, sim: KucoinSimulator, make_environment: Callable[..., Environment]
) -> None:
    environment = make_environment(
        database, kucoin={"futures_url": sim.base_url, "websocket_enabled": False}
    )
    engine = create_engine(environment)
    long_ago = datetime.now(UTC) - timedelta(minutes=5)
    start, end = window()
    common = {"requested_by": "test", "params": {}, "data_from": start, "data_to": end}
    async with create_sessionmaker(engine)() as session:
        session.add_all(
            [
                ReplayRun(status="running", heartbeat_at=long_ago, created_at=long_ago, **common),
                ReplayRun(status="queued", created_at=long_ago, **common),
                ReplayRun(status="running", heartbeat_at=datetime.now(UTC), **common),
            ]
        )
        await session.commit()
    await engine.dispose()
    app = create_app(environment)
    async for api in start_app(app):
        await app.state.app_state.runs.swept.wait()
        runs = (await api.get(f"{BASE}/replays", headers=TRADE)).json()
        abandoned = ("aborted", "abandoned: its process stopped")
        # A live heartbeat: some replica is running it. On SQLite, one process, whatever is
        # pending when it starts was left by the one before.
        live = abandoned if environment.is_sqlite else ("running", None)
        assert [(r["status"], r["error"]) for r in runs] == [live, abandoned, abandoned]
