"""A job waiting for its next tick follows a change of its interval (made over the API on any
replica) within RECHECK_S, instead of sleeping out the old period."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest

from app.assembly import SCHEDULE
from app.main import create_app
from app.platform.core.environment import Environment
from app.platform.db.sqlite_writer import write_connection
from app.platform.scheduler import loop
from app.platform.scheduler.loop import Scheduler
from tests.conftest import start_app
from tests.helpers import store_setting


async def test_a_changed_interval_ends_the_wait_for_the_old_tick(
    committed_sqlite: str,
    make_environment: Callable[..., Environment],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(loop, "RECHECK_S", 0.02)
    app = create_app(make_environment(committed_sqlite))
    clients = start_app(app)
    await clients.__anext__()
    try:
        state = app.state.app_state
        scheduler = Scheduler(state, replica="test")
        job = SCHEDULE.find("retention")
        assert await scheduler._interval(job) == 3600
        # Unchanged: the wait ends at its time.
        assert await scheduler._sleep_until(job, time.time() + 0.1, 3600) is True
        waiting = asyncio.create_task(scheduler._sleep_until(job, time.time() + 3600, 3600))
        await asyncio.sleep(0.1)
        assert not waiting.done()
        async with state.sessionmaker() as session:
            await store_setting(await write_connection(session), job.interval_key, 60)
            await session.commit()
        assert await asyncio.wait_for(waiting, 5) is False
        assert await scheduler._interval(job) == 60
    finally:
        await clients.aclose()
