"""Rollouts and rollbacks keep serving, on PostgreSQL and SQLite: a database ahead of this
release (a revision its scripts do not know) keeps `/status` ready and says `migrations:
ahead`; the start command's migration step (`python -m app.cli migrate`) leaves such a database
alone with a warning, upgrades one behind, or with `--check` only says so."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable

import pytest
from sqlalchemy import Connection, text

from app.main import create_app
from app.platform.core.environment import Environment
from app.platform.db.revisions import head_revision
from tests.conftest import READ_KEY, start_app
from tests.deployed import ROOT
from tests.integration.committed import BASE
from tests.integration.platform.db.test_migrations import inspect_database, migrate, version_numbers

READER = {"X-API-Key": READ_KEY}
NEWER = "9999_from_a_newer_release"  # a revision no script of this release knows
TIMEOUT_S = 120.0


@pytest.fixture(params=["postgres", "sqlite"])
def database(request: pytest.FixtureRequest) -> str:
    """A database of its own, migrated to this release's head."""
    return str(request.getfixturevalue(f"committed_{request.param}"))


async def stamp(url: str, revision: str) -> None:
    """Stamp `revision` as the database's, as a newer release's migration would have."""

    def write(sync_conn: Connection) -> None:
        sync_conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": revision})
        sync_conn.commit()

    await inspect_database(url, write)


def run_migrate(url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The image's migration step in its own process, configured by environment."""
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "migrate", *args],
        cwd=ROOT,
        env={
            **os.environ,
            "MYSYMBOLS_DATABASE_URL": url,
            "MYSYMBOLS_LOG_FORMAT": "text",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )


class TestStatusOnASchemaAhead:
    async def test_the_replica_stays_ready_and_says_migrations_ahead(
        self, database: str, make_environment: Callable[..., Environment]
    ) -> None:
        await stamp(database, NEWER)

        async for client in start_app(create_app(make_environment(database))):
            anonymous = await client.get(f"{BASE}/status")
            keyed = await client.get(f"{BASE}/status", headers=READER)

        assert (anonymous.status_code, anonymous.json()) == (
            200,
            {"status": "ready", "ready": True},
        )
        assert keyed.status_code == 200, keyed.text
        checked = keyed.json()["database"]
        assert (checked["migrations"], checked["migration_revision"]) == ("ahead", NEWER)
        assert checked["migrations_at_head"] is False
        assert checked["migration_head"] == head_revision()


class TestMigrateCommand:
    async def test_skips_the_upgrade_with_a_warning_when_the_database_is_ahead(
        self, database: str
    ) -> None:
        await stamp(database, NEWER)

        done = await asyncio.to_thread(run_migrate, database)

        assert done.returncode == 0, done.stderr
        assert "ahead of this release's head" in done.stderr
        assert "upgrade skipped" in done.stderr
        assert await inspect_database(database, version_numbers) == [NEWER]

    async def test_upgrades_a_database_behind_as_the_owner(self, database: str) -> None:
        await migrate(database, "downgrade", "-1")
        assert await inspect_database(database, version_numbers) != [head_revision()]

        # The app's URL names nothing reachable: the owner's, for migrations, is used.
        done = await asyncio.to_thread(
            run_migrate,
            "sqlite+aiosqlite:////nonexistent/dir/app.platform.db",
            MYSYMBOLS_MIGRATION_DATABASE_URL=database,
        )

        assert done.returncode == 0, done.stderr
        assert await inspect_database(database, version_numbers) == [head_revision()]

    async def test_check_leaves_a_database_behind_as_it_is(self, database: str) -> None:
        await migrate(database, "downgrade", "-1")
        behind = await inspect_database(database, version_numbers)

        done = await asyncio.to_thread(run_migrate, database, "--check")

        assert done.returncode == 0, done.stderr
        assert "behind this release's head" in done.stderr
        assert await inspect_database(database, version_numbers) == behind
