"""The ticker stream follows the portfolio's membership whoever changes it: an exit the
scheduler's score refresh makes (this replica's commit hook, on either database), a change
another replica commits (PostgreSQL's change notification); a burst of requests costs one
resync, and a resync that fails is logged and leaves the follower ready for the next."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from app.assembly import SCHEDULE
from app.kucoin.gateway import KucoinGateway
from app.main import create_app
from app.market.models import Symbol
from app.platform.core.environment import Environment
from app.platform.db.engine import create_engine, create_sessionmaker
from app.platform.scheduler.loop import Scheduler
from app.portfolio.models import PortfolioMember
from app.portfolio.ticker_follower import TickerFollower
from app.state import AppState
from tests.conftest import start_app
from tests.databases import create_postgres_database, drop_postgres_database
from tests.helpers import store_setting
from tests.integration.committed import BASE, TRADE
from tests.integration.kucoin.streams import eventually, fast_stream
from tests.kucoin_sim.app import KucoinSimulator
from tests.sim_fixtures import make_client, make_gateway

PORTFOLIO = f"{BASE}/portfolio"
FOLLOW_S = 10.0  # a loaded machine: the resync itself takes milliseconds


@pytest.fixture
def gateway(sim: KucoinSimulator, http: aiohttp.ClientSession) -> KucoinGateway:
    return make_gateway(make_client(http, sim.base_url, max_attempts=1))


@asynccontextmanager
async def replica(
    url: str, sim: KucoinSimulator, make_environment: Callable[..., Environment], *, websocket: bool
) -> AsyncIterator[tuple[httpx.AsyncClient, AppState]]:
    """An app on `url` whose requests commit, its KuCoin (and WebSocket, if asked) `sim`."""
    environment = make_environment(
        url,
        kucoin={"futures_url": sim.base_url, "websocket_enabled": websocket, "max_attempts": 1},
        database={"connect_timeout_s": 60.0},
    )
    app = create_app(environment)
    clients = start_app(app)
    api = await clients.__anext__()
    try:
        yield api, app.state.app_state
    finally:
        await clients.aclose()


async def scored(api: httpx.AsyncClient) -> list[str]:
    """One scoring run; the ranked symbols."""
    response = await api.post(f"{BASE}/scoring/calculate?wait=60", headers=TRADE)
    assert response.status_code == 200, response.text
    ranked = await api.get(f"{BASE}/scoring/rankings", params={"limit": 14}, headers=TRADE)
    return [item["symbol"] for item in ranked.json()["items"]]


async def add(api: httpx.AsyncClient, *symbols: str) -> None:
    for symbol in symbols:
        response = await api.post(f"{PORTFOLIO}/add-symbol", json={"symbol": symbol}, headers=TRADE)
        assert response.status_code == 200, response.text


async def stored_members(url: str) -> dict[str, str]:
    """The active members as committed: canonical symbol -> KuCoin code."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                select(Symbol.symbol, Symbol.kucoin_symbol)
                .join(PortfolioMember, PortfolioMember.symbol_id == Symbol.id)
                .where(PortfolioMember.status == "active")
            )
            return {symbol: code for symbol, code in rows.all()}
    finally:
        await engine.dispose()


async def configure(url: str, key: str, value: object) -> None:
    """Commit one configuration value (as an operator's edit outside the API would)."""
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await store_setting(connection, key, value)
    finally:
        await engine.dispose()


def subscribed(sim: KucoinSimulator) -> set[str]:
    """The KuCoin codes the simulator has subscribed on its open WebSocket connections."""
    return set().union(*(conn.symbols for conn in sim.ws.connections))


async def follows(sim: KucoinSimulator, codes: set[str]) -> None:
    await eventually(
        lambda: subscribed(sim) == codes, f"subscribed to {codes}, not {subscribed(sim)}", FOLLOW_S
    )


@pytest.fixture(params=["sqlite", "postgresql"])
async def never_migrated(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database of its own, of each backend, never migrated: the members cannot be read."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
        return
    url = await create_postgres_database("mysymbols_empty")
    yield url
    await drop_postgres_database(url)


@pytest.fixture(params=["committed_sqlite", "committed_postgres"])
def committed(request: pytest.FixtureRequest) -> str:
    """A database of its own, of each backend, whose requests commit."""
    return str(request.getfixturevalue(request.param))


async def test_an_exit_by_the_scheduler_moves_the_subscription(
    committed: str, live_sim: KucoinSimulator, make_environment: Callable[..., Environment]
) -> None:
    url = committed
    async with replica(url, live_sim, make_environment, websocket=True) as (api, state):
        symbols = await scored(api)
        await add(api, *symbols[:3])
        before = await stored_members(url)
        await follows(live_sim, set(before.values()))
        await configure(url, "correlation_limit", 1.0)  # the best outsider always qualifies
        leaver = before[symbols[1]]
        live_sim.delist(leaver)  # gone from KuCoin's contract list: exit:delisted

        job = SCHEDULE.find("score_refresh")
        tick = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        assert await Scheduler(state, replica="test").run_tick(job, tick) == "ran"

        after = await stored_members(url)
        assert symbols[1] not in after and len(after) == 3  # replaced, not dropped
        [newcomer] = set(after.values()) - set(before.values())
        await follows(live_sim, set(after.values()))
        assert leaver not in subscribed(live_sim) and newcomer in subscribed(live_sim)


async def test_a_change_on_another_replica_moves_the_subscription(
    committed_postgres: str, live_sim: KucoinSimulator, make_environment: Callable[..., Environment]
) -> None:
    url = committed_postgres
    async with (
        replica(url, live_sim, make_environment, websocket=False) as (other, _),
        replica(url, live_sim, make_environment, websocket=True) as (_, state),
    ):
        symbols = await scored(other)
        assert state.ticker_stream is not None and state.ticker_stream.stats.connections == 0
        await add(other, *symbols[:2])  # committed by the other replica: only notified here
        await follows(live_sim, set((await stored_members(url)).values()))

        response = await other.post(
            f"{PORTFOLIO}/replace-symbol",
            json={"old_symbol": symbols[0], "new_symbol": symbols[5]},
            headers=TRADE,
        )
        assert response.status_code == 200, response.text
        after = await stored_members(url)
        assert set(after) == {symbols[1], symbols[5]}
        await follows(live_sim, set(after.values()))


class TestTickerFollower:
    # Each stops the follower while its resync reads: on SQLite, 4 stops of 51 hung on a loaded
    # machine until stops repeated a cancellation that SQLAlchemy's pool swallowed
    # (app.platform.runtime.background.cancel_and_wait).
    async def test_a_burst_of_requests_costs_one_resync(
        self,
        committed: str,
        live_sim: KucoinSimulator,
        gateway: KucoinGateway,
        make_environment: Callable[..., Environment],
    ) -> None:
        engine = create_engine(make_environment(committed))
        stream = fast_stream(gateway, lambda tick: None)
        follower = TickerFollower(create_sessionmaker(engine), stream, coalesce_s=0.05)
        try:
            for _ in range(50):
                follower.request()
            follower.start()
            await eventually(lambda: follower.resyncs == 1, "one resync", FOLLOW_S)
            await asyncio.sleep(0.3)  # six coalescing windows: nothing more was asked
            assert follower.resyncs == 1
            follower.request()
            await eventually(lambda: follower.resyncs == 2, "a later request resyncs", FOLLOW_S)
        finally:
            await follower.stop()
            await stream.stop()
            await engine.dispose()

    async def test_a_failed_resync_is_logged_and_the_next_request_retries(
        self,
        never_migrated: str,
        gateway: KucoinGateway,
        make_environment: Callable[..., Environment],
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        # A database never migrated: the members cannot be read.
        engine = create_engine(make_environment(never_migrated))
        stream = fast_stream(gateway, lambda tick: None)
        follower = TickerFollower(create_sessionmaker(engine), stream, coalesce_s=0.01)
        follower.start()
        try:
            follower.request()
            await eventually(lambda: follower.resyncs == 1, "a first resync", FOLLOW_S)
            follower.request()
            await eventually(lambda: follower.resyncs == 2, "the retry", FOLLOW_S)
            assert "ticker stream unchanged" in caplog.text
            assert stream.stats.state == "idle"  # left as it was
        finally:
            await follower.stop()
            await engine.dispose()
