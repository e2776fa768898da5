"""Replays bounded and cancellable, on committed PostgreSQL and SQLite databases: a key's runs
in flight are capped (409 beyond), a run's decisions x members (422 beyond) and its time (it
stops, failed), `DELETE /replays/{id}` cancels a queued or a running run,
and a starting replica aborts only the runs of replicas that are gone.

The lab worker's computation is replaced by one that waits until the test releases it, so
a run stays `running` for as long as a test needs (everything else, the database included, is
real)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from app.lab import runner
from app.lab.models import ReplayRun
from app.main import create_app
from app.platform.core.environment import Environment
from app.platform.core.security import bootstrap_name, hash_key
from app.platform.db.engine import create_engine, create_sessionmaker
from app.state import AppState
from tests.conftest import ADMIN_KEY, ADMIN_NAME, READ_KEY, TRADE_KEY, TRADE_NAME, start_app
from tests.factories import make_candles, make_symbol
from tests.helpers import assert_problem
from tests.integration.committed import BASE, TRADE

OTHER_TRADE_KEY = "test-other-trade-key-0123"
TRADER, OTHER_TRADER = TRADE_NAME, bootstrap_name("trade", hash_key(OTHER_TRADE_KEY))
OTHER = {"X-API-Key": OTHER_TRADE_KEY}
ADMIN = {"X-API-Key": ADMIN_KEY}
KEYS = f"admin:{ADMIN_KEY},trade:{TRADE_KEY},read:{READ_KEY},trade:{OTHER_TRADE_KEY}"
CAP = 2
HOURS = 72
PARAMS = {"every": "24h", "top": None, "fee_bps": 6.0, "slippage_bps": 0.0, "overrides": None}
GUARD_S = 60  # only against a hang: every wait below ends on an event, long before this


@dataclass
class HeldWorker:
    """The lab worker's stand-in: each computation waits until `release` is set."""

    release: asyncio.Event = field(default_factory=asyncio.Event)
    entered: asyncio.Event = field(default_factory=asyncio.Event)

    async def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.entered.set()
        await self.release.wait()
        return SimpleNamespace(report={"held": True}, config_hash="0" * 64)


@pytest.fixture(params=["postgres", "sqlite"])
def database(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"committed_{request.param}"))


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> HeldWorker:
    worker = HeldWorker()
    monkeypatch.setattr(runner, "in_worker", worker)
    return worker


@pytest.fixture
def environment(database: str, make_environment: Callable[..., Environment]) -> Environment:
    return make_environment(database, api_keys=KEYS, replays={"max_pending_per_key": CAP})


@pytest.fixture
async def history(environment: Environment) -> tuple[datetime, datetime]:
    """Three days of hourly candles of one symbol; a replay range inside them."""
    engine = create_engine(environment)
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=HOURS)
    async with create_sessionmaker(engine)() as session:
        symbol = await make_symbol(session)
        await make_candles(session, symbol, [100.0] * HOURS, start=start)
        await session.commit()
    await engine.dispose()
    return start + timedelta(hours=2), start + timedelta(hours=48)


@pytest.fixture
async def api(
    environment: Environment, history: tuple[datetime, datetime], held: HeldWorker
) -> AsyncIterator[tuple[httpx.AsyncClient, AppState]]:
    app = create_app(environment)
    async for client in start_app(app):
        yield client, app.state.app_state
        held.release.set()


def body(history: tuple[datetime, datetime]) -> dict[str, str]:
    return {"from": history[0].isoformat(), "to": history[1].isoformat()}


async def queue(
    client: httpx.AsyncClient, history: tuple[datetime, datetime], headers: dict[str, str]
) -> dict[str, Any]:
    response = await client.post(f"{BASE}/replays", json=body(history), headers=headers)
    assert response.status_code == 202, response.text
    run: dict[str, Any] = response.json()
    return run


async def seed(
    environment: Environment, history: tuple[datetime, datetime], requesters: list[str]
) -> list[int]:
    """Queued runs of `requesters`, written straight to the database (nothing launches them)."""
    engine = create_engine(environment)
    async with create_sessionmaker(engine)() as session:
        runs = [
            ReplayRun(
                status="queued",
                requested_by=who,
                params=PARAMS,
                data_from=history[0],
                data_to=history[1],
                heartbeat_at=datetime.now(UTC),
            )
            for who in requesters
        ]
        session.add_all(runs)
        await session.commit()
    await engine.dispose()
    return [run.id for run in runs]


async def read(client: httpx.AsyncClient, run_id: int) -> dict[str, Any]:
    response = await client.get(f"{BASE}/replays/{run_id}", headers=TRADE)
    assert response.status_code == 200, response.text
    run: dict[str, Any] = response.json()
    return run


class TestPerKeyCap:
    async def test_refuses_a_run_beyond_the_keys_cap_while_another_key_is_served(
        self,
        api: tuple[httpx.AsyncClient, AppState],
        history: tuple[datetime, datetime],
        environment: Environment,
    ) -> None:
        client, _ = api
        await seed(environment, history, [TRADER] * CAP)  # the key's runs in flight (no runner)

        refused = await client.post(f"{BASE}/replays", json=body(history), headers=TRADE)

        problem = assert_problem(refused, 409, "conflict")
        assert (problem["pending"], problem["limit"]) == (CAP, CAP)
        await queue(client, history, OTHER)  # another key's runs are its own
        listed = (await client.get(f"{BASE}/replays", headers=TRADE)).json()
        assert sorted(r["requested_by"] for r in listed) == sorted([TRADER] * CAP + [OTHER_TRADER])


class TestBudgets:
    async def test_a_run_over_its_decisions_x_members_is_422_and_queues_nothing(
        self, api: tuple[httpx.AsyncClient, AppState], history: tuple[datetime, datetime]
    ) -> None:
        client, _ = api
        budget = {"values": {"replay_max_decision_members": 1000}}
        assert (await client.put(f"{BASE}/config", json=budget, headers=ADMIN)).status_code == 200
        hourly = {**body(history), "every": "1h"}  # 47 decisions

        refused = await client.post(f"{BASE}/replays", json={**hourly, "top": 25}, headers=TRADE)

        problem = assert_problem(refused, 422, "validation-error")
        assert (problem["decisions"], problem["members"], problem["limit"]) == (47, 25, 1000)
        assert (await client.get(f"{BASE}/replays", headers=TRADE)).json() == []
        within = await client.post(f"{BASE}/replays", json={**hourly, "top": 21}, headers=TRADE)
        assert within.status_code == 202, within.text  # 987 decision-members

    async def test_a_run_past_its_time_limit_stops_and_ends_failed(
        self,
        api: tuple[httpx.AsyncClient, AppState],
        history: tuple[datetime, datetime],
        held: HeldWorker,
    ) -> None:
        client, state = api
        limit = {"values": {"replay_time_limit_s": 1}}
        assert (await client.put(f"{BASE}/config", json=limit, headers=ADMIN)).status_code == 200
        run = await queue(client, history, TRADE)
        # The computation is never released: the runner ends it only for its time limit.
        async with asyncio.timeout(GUARD_S):
            await state.runs.all_ended()
        ended = await read(client, run["id"])
        assert (ended["status"], ended["report"]) == ("failed", None)
        assert ended["error"].startswith(f"urn:mysymbols:problem:run-time-limit: run {run['id']}")
        stored = await state_problem(state, run["id"])
        assert (stored["type"], stored["time_limit_s"], stored["run_id"]) == (
            "urn:mysymbols:problem:run-time-limit",
            1.0,
            run["id"],
        )


async def state_problem(state: AppState, run_id: int) -> dict[str, Any]:
    """The problem a run recorded in its row."""
    async with state.sessionmaker() as session:
        problem = await session.scalar(select(ReplayRun.problem).where(ReplayRun.id == run_id))
    assert problem is not None
    return dict(problem)


class TestCancel:
    async def test_a_queued_run_is_cancelled_and_never_starts(
        self,
        api: tuple[httpx.AsyncClient, AppState],
        history: tuple[datetime, datetime],
        held: HeldWorker,
        environment: Environment,
    ) -> None:
        client, state = api
        first = await queue(client, history, TRADE)  # takes the replica's one slot
        async with asyncio.timeout(GUARD_S):
            await held.entered.wait()
        # Queued behind it as a commit of POST /replays queues it: the row, then its launch.
        # (Not through the API here: on SQLite a request that reads, then writes while the
        # running run's heartbeat commits, fails as busy; issue 42 point 6 mends that.)
        (second_id,) = await seed(environment, history, [TRADER])
        state.replays.launch(second_id)
        second = {"id": second_id}

        cancelled = await client.delete(f"{BASE}/replays/{second['id']}", headers=TRADE)

        assert cancelled.status_code == 200, cancelled.text
        assert (cancelled.json()["status"], cancelled.json()["cancelled_by"]) == (
            "cancelled",
            TRADER,
        )
        held.release.set()
        async with asyncio.timeout(GUARD_S):
            await state.runs.all_ended()
        assert (await read(client, first["id"]))["status"] == "succeeded"
        run = await read(client, second["id"])
        assert (run["status"], run["started_at"], run["report"]) == ("cancelled", None, None)
        assert run["finished_at"] is not None

    async def test_a_running_run_stops_at_its_next_check_and_ends_cancelled(
        self,
        api: tuple[httpx.AsyncClient, AppState],
        history: tuple[datetime, datetime],
        held: HeldWorker,
    ) -> None:
        client, state = api
        run = await queue(client, history, TRADE)
        async with asyncio.timeout(GUARD_S):
            await held.entered.wait()
        assert (await read(client, run["id"]))["status"] == "running"

        cancelled = await client.delete(f"{BASE}/replays/{run['id']}", headers=ADMIN)

        assert cancelled.status_code == 200, cancelled.text
        # The computation is never released: the runner ends only because it saw the cancel.
        async with asyncio.timeout(GUARD_S):
            await state.runs.all_ended()
        ended = await read(client, run["id"])
        assert (ended["status"], ended["cancelled_by"], ended["report"]) == (
            "cancelled",
            ADMIN_NAME,
            None,
        )

    async def test_only_its_key_or_an_admin_may_cancel_and_an_ended_run_is_a_conflict(
        self,
        api: tuple[httpx.AsyncClient, AppState],
        history: tuple[datetime, datetime],
        held: HeldWorker,
    ) -> None:
        client, state = api
        run = await queue(client, history, TRADE)
        url = f"{BASE}/replays/{run['id']}"

        assert_problem(await client.delete(url, headers=OTHER), 403, "forbidden")
        missing = await client.delete(f"{BASE}/replays/99999", headers=TRADE)
        assert_problem(missing, 404, "not-found")
        held.release.set()
        async with asyncio.timeout(GUARD_S):
            await state.runs.all_ended()
        problem = assert_problem(await client.delete(url, headers=TRADE), 409, "conflict")
        assert problem["status"] == 409 and (await read(client, run["id"]))["status"] == "succeeded"


class TestStartingReplica:
    """Replicas share PostgreSQL (SQLite is one process, whose queued runs beat no heart)."""

    @pytest.fixture
    def database(self, committed_postgres: str) -> str:
        return committed_postgres

    async def test_keeps_a_live_peers_queued_run_and_aborts_a_dead_peers(
        self,
        environment: Environment,
        history: tuple[datetime, datetime],
        held: HeldWorker,
    ) -> None:
        long_ago = datetime.now(UTC) - timedelta(minutes=5)
        peer = create_app(environment)
        async for client in start_app(peer):
            await queue(client, history, TRADE)  # runs, held
            waiting = await queue(client, history, OTHER)  # queued behind it on the peer
            engine = create_engine(environment)
            sessions = create_sessionmaker(engine)
            async with sessions() as session:
                # Queued long ago, by a replica that is gone: no heartbeat since.
                dead = ReplayRun(
                    status="queued",
                    requested_by="gone",
                    params={},
                    data_from=history[0],
                    data_to=history[1],
                    created_at=long_ago,
                    heartbeat_at=long_ago,
                )
                session.add(dead)
                # The peer's run, as if it too had waited five minutes.
                await session.execute(
                    update(ReplayRun)
                    .where(ReplayRun.id == waiting["id"])
                    .values(created_at=long_ago, heartbeat_at=long_ago)
                )
                await session.commit()
                dead_id = dead.id
            async with asyncio.timeout(GUARD_S):  # the peer beats its queued run's heart
                await beaten_since(sessions, waiting["id"], long_ago)

            starting = create_app(environment)  # a new replica of a rolling update
            async for _ in start_app(starting):
                async with asyncio.timeout(GUARD_S):
                    await starting.state.app_state.runs.swept.wait()  # its startup sweep
                async with sessions() as session:
                    statuses = dict(
                        (await session.execute(select(ReplayRun.id, ReplayRun.status))).all()
                    )
            await engine.dispose()
            assert statuses[waiting["id"]] == "queued"
            assert statuses[dead_id] == "aborted"
            held.release.set()


async def beaten_since(sessions: Any, run_id: int, moment: datetime) -> None:
    """Once the run's heartbeat is later than `moment` (its replica wrote one)."""
    while True:
        async with sessions() as session:
            run = await session.get(ReplayRun, run_id)
            assert run is not None and run.heartbeat_at is not None
            if run.heartbeat_at > moment:
                return
        await asyncio.sleep(0.1)  # another connection's writes: nothing here to await
