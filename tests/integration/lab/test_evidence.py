"""Evidence where decisions are made, end to end against the simulator on PostgreSQL and SQLite:
a walk-forward calibration of the stored history (queued, run in the background, read back as
the configuration in force's evidence), a dry run of new weights that changes nothing, and an
applied change recorded with the replay it was judged by."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import aiohttp
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from app.assembly import SCHEDULE
from app.kucoin.gateway import KucoinGateway
from app.lab.algorithms_in_force import AlgorithmService
from app.lab.history_import import HistoryImportService
from app.main import create_app
from app.platform.core.environment import Environment
from app.platform.core.errors import ConflictError
from app.platform.db.engine import create_engine, create_sessionmaker
from app.platform.runtime.offload import LAB, in_worker
from app.platform.scheduler.loop import Scheduler
from app.records.keeping.challengers import CHALLENGERS
from app.scoring.models import ScoringAlgorithm, ScoringConfigChange
from app.scoring.schemas import AlgorithmUpdate
from app.state import AppState
from tests.conftest import ADMIN_KEY, READ_KEY, start_app
from tests.helpers import assert_problem
from tests.integration.committed import BASE
from tests.kucoin_sim.app import KucoinSimulator
from tests.sim_fixtures import live_clock_ms, make_client, make_gateway

DAYS = 45  # 30 days of warm-up (the momentum baseline's lookback), then 15 of decisions
ADMIN = {"X-API-Key": ADMIN_KEY}
READ = {"X-API-Key": READ_KEY}
PROPOSAL = {  # from the default in force (risk only) to every component weighed
    "algorithms": [
        {"name": "technical", "weight": 0.1},
        {"name": "fundamental", "weight": 0.25},
        {"name": "market_structure", "weight": 0.25},
        {"name": "risk", "weight": 0.4},
    ]
}


@pytest.fixture
def sim_config() -> dict[str, Any]:
    return {"universe": 6, "start_time_ms": live_clock_ms(), "candle_hours": 24 * (DAYS + 2)}


@pytest.fixture(params=["postgres", "sqlite"])
def database(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"committed_{request.param}"))


@pytest.fixture
async def app(
    database: str,
    http: aiohttp.ClientSession,
    sim: KucoinSimulator,
    make_environment: Callable[..., Environment],
) -> FastAPI:
    gateway: KucoinGateway = make_gateway(make_client(http, sim.base_url))
    engine = create_engine(make_environment(database))
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    imported = await HistoryImportService(create_sessionmaker(engine), gateway).run(
        end - timedelta(days=DAYS), end
    )
    await engine.dispose()
    assert imported.failures == {}
    environment = make_environment(
        database, kucoin={"futures_url": sim.base_url, "websocket_enabled": False}
    )
    return create_app(environment)


@pytest.fixture
async def api(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async for client in start_app(app):
        yield client


@pytest.fixture
def app_state(app: FastAPI, api: httpx.AsyncClient) -> AppState:
    state: AppState = app.state.app_state  # set once the app has started (`api`)
    return state


async def finished(api: httpx.AsyncClient, location: str) -> dict[str, Any]:
    for _ in range(1200):
        run = (await api.get(location, headers=READ)).json()
        if run["status"] in ("succeeded", "failed"):
            return dict(run)
        await asyncio.sleep(0.05)
    raise AssertionError(f"{location} did not finish")


async def algorithms_and_changes(
    database: str, make_environment: Callable[..., Environment]
) -> Any:
    engine = create_engine(make_environment(database))
    async with create_sessionmaker(engine)() as session:
        rows = (await session.scalars(select(ScoringAlgorithm).order_by(ScoringAlgorithm.id))).all()
        weights = {a.name: (str(a.weight), a.is_active, a.parameters) for a in rows}
        changes = await session.scalar(select(func.count()).select_from(ScoringConfigChange))
    await engine.dispose()
    return weights, changes


class TestEvidence:
    async def test_a_refresh_calibrates_the_stored_history_for_the_configuration_in_force(
        self, api: httpx.AsyncClient
    ) -> None:
        assert_problem(await api.get(f"{BASE}/scoring/evidence", headers=READ), 404, "not-found")
        created = await api.post(f"{BASE}/scoring/evidence/refresh", headers=ADMIN)
        assert created.status_code == 202, created.text
        assert created.json()["kind"] == "calibration"
        again = await api.post(f"{BASE}/scoring/evidence/refresh", headers=ADMIN)
        assert_problem(again, 409, "conflict")  # one calibration at a time
        run = await finished(api, created.headers["location"])
        assert run["status"] == "succeeded", run["error"]
        params = run["params"]
        days = (datetime.fromisoformat(params["to"]) - datetime.fromisoformat(params["from"])).days
        # Under 150 days of decisions: two test windows of a fifth, the rest to train on.
        assert (params["train_days"], params["test_days"]) == (days - 2 * (days // 5), days // 5)

        response = await api.get(f"{BASE}/scoring/evidence", headers=READ)
        assert response.status_code == 200, response.text
        evidence = response.json()
        assert evidence["run_id"] == run["id"]
        assert evidence["report_url"] == created.headers["location"]
        assert evidence["data"]["source"] == "database"
        assert (
            evidence["market_data"]["simulated"]
            and evidence["data"]["market_data"] == (evidence["market_data"])
        )
        assert set(evidence["out_of_sample"]) == {
            "policy",
            "default",
            "btc_hold",
            "equal_weight",
            "top_volume",
            "momentum",
            "random",
            "random_turnover",
            "random_turnover@default",  # the default's own turnover null
        }
        verdict = evidence["verdict"]
        best = verdict["best_baseline_sharpe"]
        assert verdict["default_sharpe"] == evidence["out_of_sample"]["default"]["sharpe"]
        assert verdict["default_beats_every_baseline"] == (
            verdict["default_sharpe"] is not None
            and (best is None or verdict["default_sharpe"] > best)
        )
        assert {"composite", "technical", "risk"} <= set(evidence["ic"]["active"])
        assert len(run["report"]["folds"]) == 2
        selection = evidence["selection"]
        assert selection == run["report"]["selection"]
        assert set(selection["ranking"]) == {"policy", "default"}
        assert selection["strategies"]["default"]["n"] == selection["universe"]["n"] > 0

        # A new configuration is not the one the evidence was computed for.
        applied = await api.put(f"{BASE}/scoring/algorithms", json=PROPOSAL, headers=ADMIN)
        assert applied.status_code == 200, applied.text
        stale = assert_problem(
            await api.get(f"{BASE}/scoring/evidence", headers=READ), 404, "not-found"
        )
        assert stale["latest_other_run_id"] == run["id"]

    async def test_a_calibration_the_service_stops_during_ends_aborted_in_its_worker(
        self, api: httpx.AsyncClient, app_state: AppState
    ) -> None:
        created = await api.post(f"{BASE}/scoring/evidence/refresh", headers=ADMIN)
        location = created.headers["location"]
        for _ in range(1500):  # running: its history read, the worker computing
            if (await api.get(location, headers=READ)).json()["status"] != "queued":
                break
            await asyncio.sleep(0.02)
        await app_state.runs.stop()
        run = (await api.get(location, headers=READ)).json()
        assert run["status"] == "aborted" and run["progress"] < 1, run
        assert run["report"] is None
        # The worker ended the calibration at its next step: it is free for the next run.
        assert await asyncio.wait_for(in_worker(os.getpid, worker=LAB), 30) != os.getpid()

    async def test_the_scheduled_refresh_queues_a_calibration_that_runs_after_its_commit(
        self, api: httpx.AsyncClient, app_state: AppState
    ) -> None:
        scheduler = Scheduler(app_state, replica="test")
        job = SCHEDULE.find("evidence_refresh")
        assert job is not None
        tick = datetime.now(UTC).replace(microsecond=0)
        assert await scheduler.run_tick(job, tick) == "ran"
        runs = (await api.get(f"{BASE}/replays", headers=READ)).json()
        assert [(r["kind"], r["requested_by"]) for r in runs] == [("calibration", "scheduler")]
        run = await finished(api, f"{BASE}/replays/{runs[0]['id']}")
        assert run["status"] == "succeeded", run["error"]
        assert (await api.get(f"{BASE}/scoring/evidence", headers=READ)).json()["run_id"] == run[
            "id"
        ]

    async def test_a_dry_run_judges_new_weights_in_a_background_run_and_changes_nothing(
        self, api: httpx.AsyncClient, database: str, make_environment: Callable[..., Environment]
    ) -> None:
        before = await algorithms_and_changes(database, make_environment)
        queued = await api.put(
            f"{BASE}/scoring/algorithms", params={"dry_run": "true"}, json=PROPOSAL, headers=ADMIN
        )
        assert queued.status_code == 202, queued.text
        location = queued.headers["location"]
        assert location == f"{BASE}/replays/{queued.json()['id']}"
        assert queued.json()["kind"] == "what_if" and queued.json()["status"] == "queued"
        run = await finished(api, location)
        assert run["status"] == "succeeded", run["error"]
        assert run["progress"] == 1.0

        response = await api.put(
            f"{BASE}/scoring/algorithms",
            params={"dry_run": "true", "wait": 60},
            json=PROPOSAL,
            headers=ADMIN,
        )
        assert response.status_code == 200, response.text
        assert response.headers["location"] != location  # a run of its own
        dry = response.json()
        assert dry["applied"] is False and dry["change_id"] is None
        weights = {a["name"]: a["weight"] for a in dry["algorithms"]}
        assert weights["technical"] == 0.1 and weights["risk"] == 0.4  # as stored
        evidence = dry["evidence"]
        assert evidence == run["report"]  # the run's report is the dry run's evidence
        assert evidence["data"]["source"] == "database" and evidence["data"]["decisions"] >= 2
        assert evidence["proposed"] != evidence["current"]
        assert set(evidence["baselines"]) == {
            "btc_hold",
            "equal_weight",
            "top_volume",
            "momentum",
            "random",
            "random_turnover",
        }
        assert await algorithms_and_changes(database, make_environment) == before
        timeline = await api.get(f"{location}/timeline", headers=READ)
        assert_problem(timeline, 409, "conflict")  # a what-if holds no membership

        applied = await api.put(f"{BASE}/scoring/algorithms", json=PROPOSAL, headers=ADMIN)
        change = applied.json()
        assert change["applied"] is True and change["evidence"] == evidence  # the same replay
        records = (await api.get(f"{BASE}/scoring/algorithms/changes", headers=ADMIN)).json()
        assert records[0]["id"] == change["change_id"]
        assert [r["actor"] for r in records][1:] == ["migration"]  # 0024: the default in force
        forward = records[0]["evidence"].pop("forward")  # the forward record it was made on
        assert records[0]["evidence"] == evidence
        assert forward["default_book"] == "policy" and forward["rule"]["min_decisions"] == 90
        assert [c["name"] for c in forward["verdicts"]] == [c.name for c in CHALLENGERS]
        assert records[0]["before"]["technical"]["weight"] == 0.0
        assert records[0]["after"]["technical"]["weight"] == 0.1

    async def test_a_change_judged_while_another_landed_is_refused(
        self,
        api: httpx.AsyncClient,
        app_state: AppState,
        database: str,
        make_environment: Callable[..., Environment],
    ) -> None:
        """Judging holds no transaction, so the algorithm may change meanwhile: the change
        judged against the old one is then refused, not applied over the new one."""
        async with app_state.sessionmaker() as session:
            algorithms = AlgorithmService(session)
            stale = await algorithms.propose(
                [
                    AlgorithmUpdate(name="technical", weight=Decimal("0.2")),
                    AlgorithmUpdate(name="risk", weight=Decimal("0.8")),
                ],
                actor="admin",
            )
        applied = await api.put(f"{BASE}/scoring/algorithms", json=PROPOSAL, headers=ADMIN)
        assert applied.status_code == 200, applied.text
        after = await algorithms_and_changes(database, make_environment)
        async with app_state.sessionmaker() as session:
            with pytest.raises(ConflictError, match="changed while this change was judged"):
                await AlgorithmService(session).apply(stale, None, "not judged")
        assert await algorithms_and_changes(database, make_environment) == after

    async def test_bad_proposals_are_refused_and_record_nothing(
        self, api: httpx.AsyncClient, database: str, make_environment: Callable[..., Environment]
    ) -> None:
        before = await algorithms_and_changes(database, make_environment)
        not_one = {"algorithms": [{"name": "technical", "weight": 0.9}]}
        for dry in ("true", "false"):
            response = await api.put(
                f"{BASE}/scoring/algorithms", params={"dry_run": dry}, json=not_one, headers=ADMIN
            )
            body = assert_problem(response, 422, "validation-error")
            assert "sum to 1" in body["detail"]
        reader = await api.put(f"{BASE}/scoring/algorithms", json=PROPOSAL, headers=READ)
        assert_problem(reader, 403, "forbidden")
        assert await algorithms_and_changes(database, make_environment) == before

    async def test_a_technical_version_other_than_1_or_2_is_refused_and_changes_nothing(
        self, api: httpx.AsyncClient, database: str, make_environment: Callable[..., Environment]
    ) -> None:
        before = await algorithms_and_changes(database, make_environment)
        v3 = {"algorithms": [{"name": "technical", "parameters": {"version": 3}}]}
        for dry in ("true", "false"):
            response = await api.put(
                f"{BASE}/scoring/algorithms", params={"dry_run": dry}, json=v3, headers=ADMIN
            )
            body = assert_problem(response, 422, "validation-error")
            assert body["detail"] == "algorithms.0.parameters.version: must be 1 or 2, not 3"
        assert await algorithms_and_changes(database, make_environment) == before

    async def test_technical_v1_is_reachable_through_its_parameter(
        self, api: httpx.AsyncClient, database: str, make_environment: Callable[..., Environment]
    ) -> None:
        before = await algorithms_and_changes(database, make_environment)
        seeded = {
            "rsi_period": 14,
            "macd": [12, 26, 9],
            "bollinger": [20, 2.0],
            "volume_window": 20,
        }
        assert before[0]["technical"][2] == {**seeded, "version": 2}  # the default names v2
        v1 = {
            "algorithms": [
                {"name": "technical", "weight": 0.5, "parameters": {**seeded, "version": 1}},
                {"name": "risk", "weight": 0.5},
            ]
        }
        response = await api.put(
            f"{BASE}/scoring/algorithms",
            params={"dry_run": "true", "wait": 60},
            json=v1,
            headers=ADMIN,
        )
        assert response.status_code == 200, response.text
        dry = response.json()
        technical = next(a for a in dry["algorithms"] if a["name"] == "technical")
        assert dry["applied"] is False and technical["parameters"]["version"] == 1
        assert dry["evidence"] is not None  # judged by a replay scored with v1
        assert await algorithms_and_changes(database, make_environment) == before
