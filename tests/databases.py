"""Throw-away test databases: PostgreSQL databases on the test server, and SQLite files."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

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
