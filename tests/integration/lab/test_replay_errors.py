"""A failed replay, on both databases, as read keys see it: its problem type and the run's id,
never the exception's text (which may carry a request's values, a query or a connection
string); that text goes to the service log only."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from app.lab.models import ReplayRun
from app.main import create_app
from app.platform.core.environment import Environment
from app.platform.db.engine import create_engine, create_sessionmaker
from tests.conftest import READ_KEY, start_app
from tests.integration.committed import BASE

SECRET = "password=hunter2-0f9e8d7c"


@pytest.fixture(params=["postgres", "sqlite"])
def database(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"committed_{request.param}"))


async def queued_run(database: str, make_environment: Callable[..., Environment]) -> int:
    """A queued run whose parameters fail it with a ValueError naming `SECRET` (the request's
    own parameters, shown back as such; the error must not repeat them)."""
    engine = create_engine(make_environment(database))
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    run = ReplayRun(
        requested_by="test",
        data_from=end - timedelta(days=3),
        data_to=end,
        params={"every": "24h", "fee_bps": SECRET, "slippage_bps": "5"},
    )
    try:
        async with create_sessionmaker(engine)() as session:
            session.add(run)
            await session.commit()
    finally:
        await engine.dispose()
    return run.id


async def test_a_failed_run_shows_its_problem_type_and_id_and_logs_the_cause(
    database: str, make_environment: Callable[..., Environment], caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(make_environment(database))
    async for api in start_app(app):
        # Queued once the app has started: on SQLite its start-up sweep aborts what the process
        # before it left pending.
        run_id = await queued_run(database, make_environment)
        with caplog.at_level(logging.ERROR, logger="app.lab.runner"):
            app.state.app_state.replays.launch(run_id)
            await app.state.app_state.runs.all_ended()
        response = await api.get(f"{BASE}/replays/{run_id}", headers={"X-API-Key": READ_KEY})
        assert response.status_code == 200, response.text
        run = response.json()
        assert run["status"] == "failed"
        assert run["error"] == (
            f"urn:mysymbols:problem:replay-failed: run {run_id} failed; the service log has the "
            "cause"
        )
        listed = await api.get(f"{BASE}/replays", headers={"X-API-Key": READ_KEY})
        assert [r["error"] for r in listed.json()] == [run["error"]]
        state = app.state.app_state
        async with state.sessionmaker() as session:  # the ledger: a job run's shape
            row = await session.get(ReplayRun, run_id)
        assert row is not None and row.replica == state.runs.replica
        assert row.duration_ms is not None and row.duration_ms >= 0
        assert row.problem is not None and SECRET not in str(row.problem)
        assert (row.problem["type"], row.problem["status"], row.problem["run_id"]) == (
            "urn:mysymbols:problem:replay-failed",
            500,
            run_id,
        )
    (logged,) = [r for r in caplog.records if r.getMessage() == f"replay {run_id} failed"]
    assert logged.exc_info is not None and SECRET in str(logged.exc_info[1])
