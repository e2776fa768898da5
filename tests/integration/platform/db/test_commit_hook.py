"""The sessionmaker's commit hook (issue 28): every commit of the app's sessions, wherever it is
made, is followed at once by what it wrote. On SQLite, which has no change notifications, it is
what keeps the cached reads current: a finished replay, or a commit of a session the app opened
outside any request, shows in the next cached read, not after the time limit."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import aiohttp
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.callers.idempotency import IdempotencyGuard
from app.callers.models import ApiKey
from app.kucoin.gateway import KucoinGateway
from app.main import create_app
from app.platform.core.clock import utcnow
from app.platform.core.environment import Environment
from app.platform.db.engine import create_engine, create_sessionmaker
from app.platform.db.models.system_configuration import SystemConfiguration
from app.platform.db.session_flags import Commit, mark_run_queued
from tests.conftest import READ_KEY, start_app
from tests.integration.committed import BASE, TRADE
from tests.integration.lab.test_replay_history import imported, window
from tests.kucoin_sim.app import KucoinSimulator
from tests.sim_fixtures import live_clock_ms, make_client, make_gateway

READ = {"X-API-Key": READ_KEY}
CONFIG = f"{BASE}/config"
KEY = "replacement_candidates"  # shown by GET /config and by the portfolio read
Hooked = tuple[async_sessionmaker[AsyncSession], list[Commit]]


@pytest.fixture
def sim_config() -> dict[str, Any]:
    """Six contracts with three weeks of hourly history, on a live clock (replays need it)."""
    return {"universe": 6, "start_time_ms": live_clock_ms(), "candle_hours": 24 * 21}


@pytest.fixture
async def gateway(http: aiohttp.ClientSession, sim: KucoinSimulator) -> KucoinGateway:
    return make_gateway(make_client(http, sim.base_url))


@pytest.fixture
async def hooked(
    committed_sqlite: str, make_environment: Callable[..., Environment]
) -> AsyncIterator[Hooked]:
    """Sessions whose commits are recorded, in order."""
    engine = create_engine(make_environment(committed_sqlite))
    commits: list[Commit] = []
    yield create_sessionmaker(engine, on_commit=commits.append), commits
    await engine.dispose()


def configured(value: int) -> Any:
    return update(SystemConfiguration).where(SystemConfiguration.key == KEY).values(value=value)


def stored(value: int) -> SystemConfiguration:
    """`KEY` set to `value` (a setting has a row once it is changed)."""
    return SystemConfiguration(key=KEY, value=value, updated_by="test")


class TestCommitHook:
    async def test_follows_a_commit_with_the_tables_it_wrote(self, hooked: Hooked) -> None:
        sessions, commits = hooked
        async with sessions() as session:
            session.add(stored(1))
            await session.commit()
            row = await session.get(SystemConfiguration, KEY)
            assert row is not None
            row.value = 3
            await session.commit()
            await session.execute(configured(2))  # a statement counts as well
            await session.commit()
        assert [c.tables for c in commits] == [frozenset({"system_configuration"})] * 3
        assert all(c.portfolio_changed and c.shows_in_reads for c in commits)

    async def test_a_write_no_cached_read_shows_keeps_the_cached_answers(
        self, hooked: Hooked
    ) -> None:
        sessions, commits = hooked
        guard = IdempotencyGuard(
            sessions, key="k", principal="p", method="POST", path="/x", fingerprint="f"
        )
        assert await guard.claim() is None  # committed at once, in a session of its own
        assert [c.tables for c in commits] == [frozenset({"idempotency_key"})]
        assert not commits[0].shows_in_reads and not commits[0].portfolio_changed

    async def test_a_keys_last_use_alone_keeps_the_cached_answers(self, hooked: Hooked) -> None:
        sessions, commits = hooked
        async with sessions() as session:
            key = ApiKey(name="k", role="read", prefix="msk_q", key_hash="h" * 64, created_by="t")
            session.add(key)
            await session.commit()
            key.last_used_at = utcnow()  # what each authentication does once a minute
            await session.commit()
            key.revoked_at = utcnow()
            await session.commit()
        assert [c.tables for c in commits] == [
            frozenset({"api_key"}),
            frozenset(),
            frozenset({"api_key"}),
        ]
        assert [c.shows_in_reads for c in commits] == [True, False, True]

    async def test_a_rollback_is_no_commit_and_leaves_nothing_for_the_next(
        self, hooked: Hooked
    ) -> None:
        sessions, commits = hooked
        async with sessions() as session:
            session.add(SystemConfiguration(key="added", value=1))
            mark_run_queued(session, 7)
            await session.flush()
            await session.rollback()
            assert commits == []
            await session.get(SystemConfiguration, KEY)
            await session.commit()
        assert commits == [Commit(tables=frozenset())]

    async def test_a_released_savepoint_is_no_commit(self, hooked: Hooked) -> None:
        sessions, commits = hooked
        async with sessions() as session:
            async with session.begin_nested():
                session.add(SystemConfiguration(key="added", value=1))
            assert commits == []
            await session.commit()
        assert [c.tables for c in commits] == [frozenset({"system_configuration"})]

    async def test_hears_only_its_own_sessionmakers_sessions(self, hooked: Hooked) -> None:
        sessions, commits = hooked
        other = create_sessionmaker(sessions.kw["bind"])
        async with other() as session:
            session.add(SystemConfiguration(key="added", value=1))
            await session.commit()
        assert commits == []


@pytest.fixture
async def cached_app(
    committed_sqlite: str, sim: KucoinSimulator, make_environment: Callable[..., Environment]
) -> AsyncIterator[tuple[httpx.AsyncClient, FastAPI]]:
    """An app on SQLite whose cached answers would live a minute if no commit dropped them."""
    environment = make_environment(
        committed_sqlite,
        kucoin={"futures_url": sim.base_url, "websocket_enabled": False},
        reads={"cache_ttl_s": 60.0},
        portfolio={"read_cache": True},
    )
    app = create_app(environment)
    async for client in start_app(app):
        assert app.state.app_state.response_cache.active
        yield client, app


async def cached_twice(api: httpx.AsyncClient, url: str) -> httpx.Response:
    """`url`'s answer, once it is served from the cache."""
    await api.get(url, headers=READ)
    again = await api.get(url, headers=READ)
    assert again.status_code == 200 and again.headers.get("x-cache") == "hit"
    return again


def setting(response: httpx.Response, key: str) -> Any:
    return next(s["value"] for s in response.json()["settings"] if s["key"] == key)


async def test_a_commit_outside_any_request_drops_the_cached_answers(
    cached_app: tuple[httpx.AsyncClient, FastAPI],
) -> None:
    api, app = cached_app
    assert setting(await cached_twice(api, CONFIG), KEY) == 2  # the default
    async with app.state.app_state.sessionmaker() as session:  # no request, no job: plain
        session.add(stored(1))
        await session.commit()
    fresh = await api.get(CONFIG, headers=READ)
    assert "x-cache" not in fresh.headers and setting(fresh, KEY) == 1


async def test_a_finished_replay_shows_at_once_in_the_cached_reads(
    committed_sqlite: str,
    gateway: KucoinGateway,
    sim: KucoinSimulator,
    make_environment: Callable[..., Environment],
) -> None:
    engine, _, _, _ = await imported(committed_sqlite, gateway, make_environment)
    await engine.dispose()
    environment = make_environment(
        committed_sqlite,
        kucoin={"futures_url": sim.base_url, "websocket_enabled": False},
        reads={"cache_ttl_s": 60.0},
    )
    app = create_app(environment)
    async for api in start_app(app):
        replays = app.state.app_state.replays
        start, end = window()
        body = {
            "from": (start + timedelta(days=10)).isoformat(),
            "to": end.isoformat(),
            "every": "24h",
            "top": 3,
        }
        async with replays._slot:  # the run waits, queued, while its answers are cached
            created = await api.post(f"{BASE}/replays", json=body, headers=TRADE)
            assert created.status_code == 202, created.text
            location = created.headers["location"]
            queued = await cached_twice(api, location)
            listed = await cached_twice(api, f"{BASE}/replays")
            assert queued.json()["status"] == listed.json()[0]["status"] == "queued"
        await asyncio.wait_for(app.state.app_state.runs.all_ended(), 120)
        run = await api.get(location, headers=READ)
        assert "x-cache" not in run.headers
        assert run.json()["status"] == "succeeded", run.json()["error"]
        assert (await api.get(f"{BASE}/replays", headers=READ)).json()[0]["status"] == "succeeded"
