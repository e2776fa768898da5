"""`Idempotency-Key` on committed databases: a PnL report retried with its key is recorded once
(both databases), and a request whose commit fails releases its claim, so that its retry runs
at once instead of meeting `idempotency-key-in-progress` for the claim's 5-minute lease."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.callers.models import IdempotencyKey
from app.main import create_app
from app.platform.core.environment import Environment
from app.platform.db.engine import create_engine
from app.portfolio.models import PerformanceRecord
from app.signals.models import Signal
from tests.conftest import start_app
from tests.integration.committed import BASE, TRADE, prepared
from tests.kucoin_sim.app import KucoinSimulator

PERFORMANCE = f"{BASE}/portfolio/performance"
SIGNAL = {
    "source": "bot",
    "signal_type": "MOMENTUM",
    "direction": "BUY",
    "strength": 0.5,
    "confidence": 0.5,
}


@pytest.fixture(params=["postgres", "sqlite"])
def database(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"committed_{request.param}"))


async def count(engine: AsyncEngine, model: type[object]) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(model)) or 0)


async def claims(engine: AsyncEngine) -> list[tuple[str, str]]:
    async with engine.connect() as connection:
        query = select(IdempotencyKey.key, IdempotencyKey.state).order_by(IdempotencyKey.id)
        return [(row.key, row.state) for row in await connection.execute(query)]


class TestPerformanceReport:
    async def test_a_report_retried_with_its_key_is_recorded_once(
        self, database: str, live_sim: KucoinSimulator, make_environment: Callable[..., Environment]
    ) -> None:
        api, clients, symbols = await prepared(database, live_sim, make_environment)
        engine = create_engine(make_environment(database))
        try:
            added = await api.post(
                f"{BASE}/portfolio/add-symbol", json={"symbol": symbols[0]}, headers=TRADE
            )
            assert added.status_code == 200, added.text
            at = datetime.now(UTC).isoformat()
            body = {"symbol": symbols[0], "pnl": 12.5, "timestamp": at}
            keyed = {**TRADE, "Idempotency-Key": "pnl-report-1"}
            first = await api.post(PERFORMANCE, json=body, headers=keyed)
            retry = await api.post(PERFORMANCE, json=body, headers=keyed)
            assert first.status_code == retry.status_code == 200, first.text
            assert "idempotent-replayed" not in first.headers
            assert retry.headers["idempotent-replayed"] == "true"
            assert retry.content == first.content
            assert first.json()["records"] == 1
            assert await count(engine, PerformanceRecord) == 1
            # Another key is another report: recorded, and counted as the second.
            other = await api.post(
                PERFORMANCE, json=body, headers={**TRADE, "Idempotency-Key": "pnl-report-2"}
            )
            assert other.status_code == 200 and other.json()["records"] == 2
            assert await count(engine, PerformanceRecord) == 2
        finally:
            await clients.aclose()
            await engine.dispose()


class TestFailedCommit:
    async def test_a_failed_commit_releases_the_claim(
        self, committed_postgres: str, make_environment: Callable[..., Environment]
    ) -> None:
        """PostgreSQL, where a deferred constraint trigger makes the commit itself fail (the
        statements all succeed): a real failure at COMMIT, with no stand-in for the database."""
        engine = create_engine(make_environment(committed_postgres))
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "CREATE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$"
                )
            )
            await connection.execute(
                text(
                    "CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON signal "
                    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_at_commit()"
                )
            )
        headers = {**TRADE, "Idempotency-Key": "signal-1"}
        try:
            async for api in start_app(create_app(make_environment(committed_postgres))):
                failed = await api.post(f"{BASE}/signals", json=SIGNAL, headers=headers)
                assert failed.status_code == 500, failed.text
                assert await claims(engine) == []  # released, not left `in_progress`
                async with engine.begin() as connection:
                    await connection.execute(text("DROP TRIGGER refuse_at_commit ON signal"))
                retry = await api.post(f"{BASE}/signals", json=SIGNAL, headers=headers)
                assert retry.status_code == 201, retry.text
                assert "idempotent-replayed" not in retry.headers  # it ran afresh
                assert await claims(engine) == [("signal-1", "completed")]
                assert await count(engine, Signal) == 1
        finally:
            await engine.dispose()


class TestFailedRequest:
    async def test_a_refused_rebalance_on_sqlite_releases_its_claim(
        self, committed_sqlite: str, make_environment: Callable[..., Environment]
    ) -> None:
        """The rebalance took SQLite's write lock (the portfolio's lock) before it was refused:
        its work is undone before the claim is released, which would otherwise wait behind
        that lock and fail, leaving the key `in_progress`."""
        engine = create_engine(make_environment(committed_sqlite))
        headers = {**TRADE, "Idempotency-Key": "rebalance-1"}
        body = {"dry_run": False, "account_balance": 50000}
        try:
            async for api in start_app(create_app(make_environment(committed_sqlite))):
                refused = await api.post(f"{BASE}/portfolio/rebalance", json=body, headers=headers)
                assert refused.status_code == 409, refused.text
                assert refused.json()["type"].endswith("market-data-stale")
                assert await claims(engine) == []
                again = await api.post(f"{BASE}/portfolio/rebalance", json=body, headers=headers)
                assert again.status_code == 409 and again.json()["type"] == refused.json()["type"]
        finally:
            await engine.dispose()
