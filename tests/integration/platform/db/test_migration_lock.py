"""Replicas that start together on PostgreSQL migrate one after another: each runs the start
command of the Dockerfile (`python -m app.cli migrate`, whose upgrade holds an advisory lock
around the run)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator

import asyncpg
import pytest

import app.tables  # noqa: F401  (registers every table on Base.metadata)
from app.platform.db.base import Base
from app.platform.db.migrations import MIGRATION_LOCK_KEY
from app.platform.db.revisions import head_revision
from tests.databases import asyncpg_dsn, create_postgres_database, drop_postgres_database
from tests.deployed import ROOT
from tests.integration.platform.db.test_migrations import (
    inspect_database,
    table_names,
    version_numbers,
)

TIMEOUT_S = 120.0


@pytest.fixture
async def empty_postgres() -> AsyncIterator[str]:
    url = await create_postgres_database("mysymbols_migration_lock")
    try:
        yield url
    finally:
        await drop_postgres_database(url)


def start_replica(database_url: str) -> subprocess.Popen[str]:
    """The migration step in its own process, configured as a replica is: by environment."""
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "migrate"],
        cwd=ROOT,
        env={**os.environ, "MYSYMBOLS_DATABASE_URL": database_url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


async def finished(replica: subprocess.Popen[str]) -> tuple[int, str]:
    """The replica's exit code and what it wrote to stderr, once it has exited."""
    _, stderr = await asyncio.to_thread(replica.communicate, timeout=TIMEOUT_S)
    return replica.returncode, stderr


async def assert_at_head(url: str) -> None:
    assert await inspect_database(url, version_numbers) == [head_revision()]
    missing = set(Base.metadata.tables) - await inspect_database(url, table_names)
    assert not missing, f"tables missing: {sorted(missing)}"


async def waiting_for_lock(admin: asyncpg.Connection) -> int:
    """How many sessions of this database wait for the migration lock."""
    return int(
        await admin.fetchval(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND ((classid::bigint << 32) | objid::bigint) = $1",
            MIGRATION_LOCK_KEY,
        )
    )


class TestConcurrentStarters:
    async def test_three_replicas_on_an_empty_database_all_succeed(
        self, empty_postgres: str
    ) -> None:
        replicas = [start_replica(empty_postgres) for _ in range(3)]

        results = [await finished(replica) for replica in replicas]

        for code, stderr in results:
            assert code == 0, stderr
        await assert_at_head(empty_postgres)

    async def test_a_replica_migrates_only_once_the_lock_is_free(self, empty_postgres: str) -> None:
        holder = await asyncpg.connect(asyncpg_dsn(empty_postgres))
        try:
            await holder.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK_KEY)
            replica = start_replica(empty_postgres)
            async with asyncio.timeout(TIMEOUT_S):
                while not await waiting_for_lock(holder):
                    assert replica.poll() is None, replica.communicate()[1]
                    await asyncio.sleep(0.1)
            assert await inspect_database(empty_postgres, table_names) == set()

            await holder.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK_KEY)
            code, stderr = await finished(replica)
        finally:
            await holder.close()

        assert code == 0, stderr
        await assert_at_head(empty_postgres)
