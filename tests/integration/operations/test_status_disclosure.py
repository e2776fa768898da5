"""What `/status` tells, on committed SQLite databases: anyone learns `status` and `ready`; a
job's failure shows as its problem's type and title with the run id, its text only in the log;
a skipped run is no error, its reason shown as such; migrations behind head make the replica
not ready (503)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic.script import ScriptDirectory
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from alembic import command
from app.main import create_app
from app.platform.core.environment import Environment
from app.platform.db.migrations import alembic_config
from app.platform.db.revisions import head_revision
from app.platform.runs.job import Job, JobSkipped
from app.scoring.settings import SCORE_REFRESH_INTERVAL_S
from app.state import AppState
from tests.conftest import READ_KEY, start_app
from tests.databases import migrated_sqlite_url, sqlite_url

BASE = "/api/symbol-mgmt"
READER = {"X-API-Key": READ_KEY}
SECRET = "password=hunter2-0f9e8d7c"


async def raises_an_exception_naming_a_secret(
    session: AsyncSession, state: AppState
) -> dict[str, Any]:
    """A job whose failure's text holds a secret."""
    raise RuntimeError(f"could not log in with {SECRET}")


async def sends_a_secret_to_a_failing_statement(
    session: AsyncSession, state: AppState
) -> dict[str, Any]:
    """A job whose failing statement carries a secret as a parameter (SQLAlchemy puts the SQL
    in the exception's text, and the parameters too unless the engine hides them)."""
    await session.execute(
        text("SELECT * FROM no_such_table WHERE token = :token"), {"token": SECRET}
    )
    return {}


@pytest.fixture
async def committed_sqlite(tmp_path: Path) -> str:
    return await migrated_sqlite_url(tmp_path)


@pytest.fixture
async def started(
    committed_sqlite: str, make_environment: Callable[..., Environment]
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = create_app(make_environment(committed_sqlite))
    async for client in start_app(app):
        yield app, client


class TestAJobsFailure:
    @pytest.mark.parametrize(
        ("body", "in_log", "never_logged"),
        [
            (raises_an_exception_naming_a_secret, SECRET, None),
            # The engine hides a statement's parameters (hide_parameters): the SQL is logged,
            # the secret bound to it is not.
            (sends_a_secret_to_a_failing_statement, "no_such_table", SECRET),
        ],
    )
    async def test_its_text_is_in_the_log_never_in_status(
        self,
        started: tuple[FastAPI, httpx.AsyncClient],
        caplog: pytest.LogCaptureFixture,
        body: Any,
        in_log: str,
        never_logged: str | None,
    ) -> None:
        app, client = started
        state: AppState = app.state.app_state
        with caplog.at_level(logging.ERROR, logger="app.platform.scheduler.execution"):
            run = await state.jobs.submit(
                Job("leaky", SCORE_REFRESH_INTERVAL_S, body), requested_by="test"
            )
            run = await state.jobs.wait(run.id, 30)
        assert run.status == "failed"

        anonymous = await client.get(f"{BASE}/status")
        keyed = await client.get(f"{BASE}/status", headers=READER)
        listed = await client.get(f"{BASE}/jobs/runs/{run.id}", headers=READER)
        for answer in (anonymous, keyed, listed):
            assert answer.status_code == 200, answer.text
            assert "hunter2" not in answer.text
            assert "no_such_table" not in answer.text
        assert anonymous.json() == {"status": "ready", "ready": True}
        shown = {job["job"]: job for job in keyed.json()["jobs"]}["leaky"]
        assert shown["run_id"] == run.id
        assert (
            shown["error"] == f"Internal error (urn:mysymbols:problem:internal-error), run {run.id}"
        )
        assert shown["problem_type"] == "urn:mysymbols:problem:internal-error"
        assert run.error == shown["error"]  # what the ledger stores

        logged = [
            r for r in caplog.records if r.name == "app.platform.scheduler.execution" and r.exc_info
        ]
        assert [r.getMessage() for r in logged] == [f"jobs: run {run.id} of leaky failed"]
        text_logged = logging.Formatter().formatException(logged[0].exc_info)  # type: ignore[arg-type]
        assert in_log in text_logged
        assert never_logged is None or never_logged not in text_logged


async def finds_nothing_it_may_do(session: AsyncSession, state: AppState) -> dict[str, Any]:
    """A job that had nothing it may do this time."""
    raise JobSkipped("the inputs are stale: the weights stay frozen")


class TestASkippedRun:
    async def test_is_no_error_in_status_and_its_reason_is_its_skip_reason(
        self, started: tuple[FastAPI, httpx.AsyncClient]
    ) -> None:
        app, client = started
        state: AppState = app.state.app_state
        run = await state.jobs.submit(
            Job("frozen", SCORE_REFRESH_INTERVAL_S, finds_nothing_it_may_do), requested_by="test"
        )
        run = await state.jobs.wait(run.id, 30)
        assert run.status == "skipped"

        keyed = (await client.get(f"{BASE}/status", headers=READER)).json()
        shown = {job["job"]: job for job in keyed["jobs"]}["frozen"]
        assert (shown["status"], shown["error"], shown["problem_type"]) == ("skipped", None, None)
        assert shown["skip_reason"] == "the inputs are stale: the weights stay frozen"
        listed = (await client.get(f"{BASE}/jobs/runs/{run.id}", headers=READER)).json()
        assert (listed["problem"], listed["skip_reason"]) == (None, shown["skip_reason"])

    async def test_a_failed_run_keeps_its_error_and_has_no_skip_reason(
        self, started: tuple[FastAPI, httpx.AsyncClient]
    ) -> None:
        app, client = started
        state: AppState = app.state.app_state
        run = await state.jobs.submit(
            Job("leaky", SCORE_REFRESH_INTERVAL_S, raises_an_exception_naming_a_secret),
            requested_by="test",
        )
        run = await state.jobs.wait(run.id, 30)
        keyed = (await client.get(f"{BASE}/status", headers=READER)).json()
        shown = {job["job"]: job for job in keyed["jobs"]}["leaky"]
        assert shown["error"] == run.error and shown["skip_reason"] is None
        listed = (await client.get(f"{BASE}/jobs/runs/{run.id}", headers=READER)).json()
        assert (listed["status"], listed["skip_reason"]) == ("failed", None)


class TestMigrationsBehindHead:
    @pytest.fixture
    async def behind(self, tmp_path: Path) -> tuple[str, str]:
        """A database one migration short of head, and its revision."""
        url = sqlite_url(tmp_path)
        config = alembic_config(url)
        previous = ScriptDirectory.from_config(config).get_revision(head_revision()).down_revision
        assert isinstance(previous, str)
        await asyncio.to_thread(command.upgrade, config, previous)
        return url, previous

    async def test_the_replica_is_not_ready(
        self, behind: tuple[str, str], make_environment: Callable[..., Environment]
    ) -> None:
        url, previous = behind
        async for client in start_app(create_app(make_environment(url))):
            anonymous = await client.get(f"{BASE}/status")
            keyed = await client.get(f"{BASE}/status", headers=READER)
        assert (anonymous.status_code, anonymous.json()) == (
            503,
            {"status": "degraded", "ready": False},
        )
        assert keyed.status_code == 503
        database = keyed.json()["database"]
        assert database["reachable"] is True and database["migrations_at_head"] is False
        assert database["migration_revision"] == previous
