"""A write transaction whose statement is cancelled (a deadline, a client gone) leaves its
connection invalidated, to be rolled back. The connection listeners must not raise there: the
writer's hold follower raised `PendingRollbackError` from its rollback listener, which turned a
readiness probe's timeout into a 500. And the one writer is free again after the rollback."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from sqlalchemy import text

from app.platform.core.environment import Environment
from app.platform.db.engine import create_engine, create_sessionmaker

TAKE = text("UPDATE system_configuration SET key = key WHERE 0 = 1")  # a write, changing nothing
SLOW = text(
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 50000000) "
    "SELECT count(*) FROM c"
)


async def test_a_cancelled_write_rolls_back_quietly_and_frees_the_writer(
    committed_sqlite: str, make_environment: Callable[..., Environment]
) -> None:
    engine = create_engine(make_environment(committed_sqlite))
    sessions = create_sessionmaker(engine)
    try:
        async with sessions() as session:
            await session.execute(TAKE)
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(0.2):
                    await session.execute(SLOW)
            await session.rollback()  # raised PendingRollbackError from a listener
        async with sessions() as session:  # the next write has its turn
            async with asyncio.timeout(30):
                await session.execute(TAKE)
                await session.commit()
    finally:
        await engine.dispose()
