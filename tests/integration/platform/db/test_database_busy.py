"""A database that is there but too busy (a lock held past the lock timeout, no pooled
connection free in time) answers 503 `busy` with Retry-After: not "database unavailable", and
not a 500. PostgreSQL, committed database (the lock is another session's)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from app.main import create_app
from app.platform.core.environment import Environment
from tests.conftest import READ_KEY, start_app
from tests.helpers import assert_problem

HISTORY = "/api/symbol-mgmt/portfolio/history"
READ = {"X-API-Key": READ_KEY}


async def test_a_lock_held_past_the_lock_timeout_is_503_busy(
    committed_postgres: str, make_environment: Callable[..., Environment]
) -> None:
    environment = make_environment(committed_postgres, database={"statement_timeout_s": 1.0})
    holder = create_async_engine(committed_postgres)
    try:
        async with holder.connect() as connection:
            await connection.execute(text("BEGIN"))
            await connection.execute(text("LOCK TABLE portfolio_history IN ACCESS EXCLUSIVE MODE"))
            async for api in start_app(create_app(environment)):
                response = await api.get(HISTORY, headers=READ)
                body = assert_problem(response, 503, "busy")
                assert response.headers["retry-after"] == "5"
                assert "retry" in body["detail"]
            await connection.execute(text("ROLLBACK"))
        async for api in start_app(create_app(environment)):  # free again: answered
            assert (await api.get(HISTORY, headers=READ)).status_code == 200
    finally:
        await holder.dispose()


async def test_no_pooled_connection_free_in_time_is_503_busy(
    committed_postgres: str, make_environment: Callable[..., Environment]
) -> None:
    environment = make_environment(
        committed_postgres,
        database={"pool_size": 1, "max_overflow": 0, "connect_timeout_s": 0.5},
    )
    app = create_app(environment)
    async for api in start_app(app):
        engine = app.state.app_state.engine
        async with engine.connect() as held:  # the pool's only connection
            await held.execute(text("SELECT 1"))
            response = await api.get(HISTORY, headers=READ)
        assert_problem(response, 503, "busy")
        assert (await api.get(HISTORY, headers=READ)).status_code == 200
