"""Throw-away test databases: PostgreSQL databases on the test server, and SQLite files.

A database at the migrations' head is a copy of one migrated once per test process (a template):
running the migrations takes about half a second, on every backend; a copy takes under half that
on PostgreSQL and milliseconds on SQLite. tests/integration/platform/db/test_migrations.py runs
them for real.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import tempfile
import uuid
from pathlib import Path
from typing import NoReturn

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from app.platform.db.migrations import upgrade_to_head
from app.platform.db.unreachable import DatabaseUnreachable, debugging

POSTGRES_ENV = "MYSYMBOLS_TEST_POSTGRES_URL"
DEFAULT_POSTGRES_SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
CONNECT_TIMEOUT_S = 5.0
# The folders whose tests run without PostgreSQL: a run of another folder (or of the whole suite)
# checks the server before collecting (tests/conftest.py).
WITHOUT_POSTGRES = ("tests/unit", "tests/browser", "tests/kucoin_sim_tests", "tests/bench")


def asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def given_postgres_url() -> str | None:
    """The empty database CI created for this run (`MYSYMBOLS_TEST_POSTGRES_URL`), if any."""
    return os.environ.get(POSTGRES_ENV) or None


def postgres_unreachable(url: str, cause: BaseException) -> str:
    """The sentence for a test server that cannot be reached at `url`."""
    unreachable = DatabaseUnreachable(url, cause, POSTGRES_ENV, "an empty database that answers")
    return f"{unreachable} The unit tests and the fast tier (scripts/dev.sh fast) need none."


async def postgres_problem() -> str | None:
    """Why the test server cannot be used (its sentence), or None when it answers. With
    MYSYMBOLS_DEBUG=1 the driver's error goes up as it is, with its traceback."""
    url = given_postgres_url() or DEFAULT_POSTGRES_SERVER
    try:
        connection = await asyncpg.connect(asyncpg_dsn(url), timeout=CONNECT_TIMEOUT_S)
    except Exception as exc:
        if debugging():
            raise
        return postgres_unreachable(url, exc)
    await connection.close()
    return None


def stop_unreachable(sentence: str) -> NoReturn:
    """Fail the test that needs the server with `sentence` alone, no traceback (a session
    cannot be ended from inside a test, nor from an xdist worker)."""
    pytest.fail(sentence, pytrace=False)


def needs_postgres(paths: list[Path], root: Path) -> bool:
    """Whether a run of `paths` checks the test server before collecting: a folder that is or
    holds any but those in `WITHOUT_POSTGRES`. A file's run checks when its first test needs
    the server (`_administer`, the `postgres_url` fixture)."""
    without = [root / part for part in WITHOUT_POSTGRES]
    return any(
        path.is_dir() and not any(path.is_relative_to(folder) for folder in without)
        for path in paths
    )


async def _administer(url: str, statement: str) -> None:
    """`statement` run in the maintenance database of `url`'s server."""
    # Rendered with its password (str() of a URL masks it, and the server would refuse).
    server = make_url(url).set(database="postgres").render_as_string(hide_password=False)
    try:
        admin = await asyncpg.connect(asyncpg_dsn(server), timeout=CONNECT_TIMEOUT_S)
    except (OSError, asyncpg.PostgresError) as exc:
        if debugging():
            raise
        sentence = postgres_unreachable(server, exc)
    else:
        sentence = ""
    if sentence:  # outside the handler: the failure shows the sentence alone
        stop_unreachable(sentence)
    try:
        await admin.execute(statement)
    finally:
        await admin.close()


async def _new_database(server: str, prefix: str, template: str | None = None) -> str:
    """A new database on `server` (a copy of `template` when given); its SQLAlchemy URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    copied = "" if template is None else f' TEMPLATE "{template}"'
    await _administer(server, f'CREATE DATABASE "{name}"{copied}')
    return make_url(server).set(database=name).render_as_string(hide_password=False)


async def create_postgres_database(prefix: str = "mysymbols_test") -> str:
    """Create an empty database on the test server and return its SQLAlchemy URL."""
    return await _new_database(given_postgres_url() or DEFAULT_POSTGRES_SERVER, prefix)


async def drop_postgres_database(url: str) -> None:
    await _administer(url, f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


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
    return await _new_database(template, prefix, template=make_url(template).database)


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
