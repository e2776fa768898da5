"""Throw-away test databases: PostgreSQL databases on the test server, and SQLite files.

A database at the migrations' head is a copy of one migrated once per test process (a template):
running the migrations takes about half a second, on every backend; a copy takes under half that
on PostgreSQL and milliseconds on SQLite. tests/integration/test_migrations.py runs them for real.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import tempfile
import uuid
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from app.db.migrations import upgrade_to_head

POSTGRES_ENV = "MYSYMBOLS_TEST_POSTGRES_URL"
DEFAULT_POSTGRES_SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


def asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def given_postgres_url() -> str | None:
    """The empty database CI created for this run (`MYSYMBOLS_TEST_POSTGRES_URL`), if any."""
    return os.environ.get(POSTGRES_ENV) or None


async def create_postgres_database(prefix: str = "mysymbols_test") -> str:
    """Create an empty database on the test server and return its SQLAlchemy URL."""
    server = make_url(given_postgres_url() or DEFAULT_POSTGRES_SERVER)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(asyncpg_dsn(str(server.set(database="postgres"))))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return server.set(database=name).render_as_string(hide_password=False)


async def drop_postgres_database(url: str) -> None:
    parsed = make_url(url)
    admin = await asyncpg.connect(asyncpg_dsn(str(parsed.set(database="postgres"))))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
    finally:
        await admin.close()


def sqlite_url(directory: Path, name: str = "mysymbols") -> str:
    return f"sqlite+aiosqlite:///{directory / f'{name}_{uuid.uuid4().hex[:8]}.db'}"


_templates: dict[str, str] = {}  # by backend: this process's migrated database


async def migrated_postgres_database(prefix: str = "mysymbols_test") -> str:
    """A new database at the migrations' head (a copy of this process's template)."""
    template = _templates.get("postgresql")
    if template is None:
        template = await create_postgres_database("mysymbols_template")
        await asyncio.to_thread(upgrade_to_head, template)
        _templates["postgresql"] = template
    server = make_url(template)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(asyncpg_dsn(str(server.set(database="postgres"))))
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{server.database}"')
    finally:
        await admin.close()
    return server.set(database=name).render_as_string(hide_password=False)


async def migrated_sqlite_url(directory: Path, name: str = "mysymbols") -> str:
    """A new SQLite file in `directory` at the migrations' head (a copy of this process's
    template, by SQLite's backup: its WAL included)."""
    template = _templates.get("sqlite")
    if template is None:
        template = sqlite_url(Path(tempfile.mkdtemp(prefix="mysymbols-template-")), "template")
        await asyncio.to_thread(upgrade_to_head, template)
        _templates["sqlite"] = template
    url = sqlite_url(directory, name)
    await asyncio.to_thread(_copy_sqlite, template, url)
    return url


def _copy_sqlite(template: str, url: str) -> None:
    source = sqlite3.connect(str(make_url(template).database))
    target = sqlite3.connect(str(make_url(url).database))
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


async def drop_templates() -> None:
    """Drop this process's templates (the end of its test session)."""
    postgres, sqlite = _templates.pop("postgresql", None), _templates.pop("sqlite", None)
    if postgres is not None:
        await drop_postgres_database(postgres)
    if sqlite is not None:
        shutil.rmtree(Path(str(make_url(sqlite).database)).parent, ignore_errors=True)
