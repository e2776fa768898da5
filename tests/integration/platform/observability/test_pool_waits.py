"""PostgreSQL's connection pool: a checkout that finds every connection taken is counted."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.platform.core.environment import Environment
from app.platform.db.engine import create_engine
from tests.prometheus import counted


async def test_a_checkout_waiting_for_a_connection_is_counted(
    postgres_url: str, make_environment: Callable[..., Environment]
) -> None:
    engine = create_engine(
        make_environment(postgres_url, database={"pool_size": 1, "max_overflow": 0})
    )
    try:
        waits = counted("mysymbols_db_pool_waits_total")
        async with engine.connect() as holder:  # the pool's only connection
            await holder.execute(text("SELECT 1"))
            waiting = asyncio.create_task(_select_one(engine))
            await asyncio.sleep(0.05)
            assert not waiting.done()  # it waits for the holder's connection
        assert await waiting == 1
        assert counted("mysymbols_db_pool_waits_total") == waits + 1
        async with engine.connect() as free:  # an idle connection: no wait
            await free.execute(text("SELECT 1"))
        assert counted("mysymbols_db_pool_waits_total") == waits + 1
    finally:
        await engine.dispose()


async def _select_one(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text("SELECT 1"))).scalar_one())
