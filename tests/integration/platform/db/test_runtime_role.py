"""The app connects as a DML-only role (PostgreSQL): a login role in the group the migrations
grant (`mysymbols_dml`, deploy/postgres/runtime-role.sql) serves the app, reads and writes rows,
but cannot drop a table or the append-only triggers, rewrite the audit or the migration
version."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from app.main import create_app
from app.platform.core.environment import Environment
from tests.conftest import ADMIN_KEY, start_app
from tests.databases import asyncpg_dsn
from tests.integration.committed import BASE

ADMIN = {"X-API-Key": ADMIN_KEY}


@pytest.fixture
async def app_role(committed_postgres: str) -> AsyncIterator[str]:
    """The URL of a fresh login role in the DML group on the migrated database."""
    name = f"mysymbols_app_{uuid.uuid4().hex[:8]}"
    owner = await asyncpg.connect(asyncpg_dsn(committed_postgres))
    try:
        await owner.execute(f"CREATE ROLE {name} LOGIN IN ROLE mysymbols_dml")
    finally:
        await owner.close()
    yield make_url(committed_postgres).set(username=name).render_as_string(hide_password=False)
    server = make_url(committed_postgres).set(database="postgres")
    admin = await asyncpg.connect(asyncpg_dsn(server.render_as_string(hide_password=False)))
    try:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", name
        )
        await admin.execute(f"DROP ROLE IF EXISTS {name}")
    finally:
        await admin.close()


@pytest.fixture
async def as_app(app_role: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(asyncpg_dsn(app_role))
    try:
        yield connection
    finally:
        await connection.close()


REFUSED = [
    "DROP TRIGGER portfolio_history_append_only ON portfolio_history",
    "DROP TRIGGER configuration_change_append_only ON configuration_change",
    "DROP TABLE portfolio_history",
    "DROP TABLE configuration_change",
    "ALTER TABLE portfolio_history DISABLE TRIGGER ALL",
    "TRUNCATE configuration_change",
    "DELETE FROM configuration_change",
    "UPDATE alembic_version SET version_num = '0001'",
    "CREATE TABLE mine (id integer)",
]


class TestTheRuntimeRole:
    @pytest.mark.parametrize("statement", REFUSED)
    async def test_cannot_alter_the_schema_or_rewrite_the_audit(
        self, as_app: asyncpg.Connection, statement: str
    ) -> None:
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await as_app.execute(statement)

    async def test_reads_and_writes_rows(self, as_app: asyncpg.Connection) -> None:
        await as_app.execute(
            "INSERT INTO configuration_change (changed_at, actor, key, new_value) "
            "VALUES (now(), 'admin', 'retention_event_days', '14')"
        )
        assert await as_app.fetchval("SELECT count(*) FROM configuration_change") == 1

    async def test_serves_the_app(
        self, app_role: str, make_environment: Callable[..., Environment]
    ) -> None:
        async for client in start_app(create_app(make_environment(app_role))):
            ready = await client.get(f"{BASE}/status")
            created = await client.post(
                f"{BASE}/api-keys", json={"name": "desk", "role": "read"}, headers=ADMIN
            )
        assert (ready.status_code, ready.json()["ready"]) == (200, True)
        assert created.status_code == 201, created.text
