"""A database that cannot be reached, said in one sentence: the address tried (its password
masked), why, and what to do. The set-up commands (`scripts/dev.sh serve`, the migrations, the
demo, the test session) print it instead of a driver's traceback, which `MYSYMBOLS_DEBUG=1`
brings back."""

from __future__ import annotations

import errno
import os
import re
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from alembic.util import CommandError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

DEBUG_ENV = "MYSYMBOLS_DEBUG"
TRUE = ("1", "true", "yes", "on")
SET_UP = 'README.md, "Set up", has the command'

_ADAPTED = re.compile(r"^<class '[\w.]+'>: ")  # SQLAlchemy's asyncpg adaptor names the class
_PASSWORD = re.compile(r"(://[^:/@]+:)[^@]*@")


BUSY_TIMEOUT_ENV = "MYSYMBOLS_DATABASE__SQLITE_BUSY_TIMEOUT_S"


def busy_file(exc: BaseException) -> str | None:
    """For a SQLite file another process kept locked past the busy timeout (the service, an
    import, a migration writing it), what to do, in one sentence; None for any other failure."""
    if "database is locked" not in str(getattr(exc, "orig", None) or exc):
        return None
    return (
        "the SQLite file stayed locked by another process writing it (the service, an import, a "
        f"migration) past the busy timeout (5 s; {BUSY_TIMEOUT_ENV} sets it for the service "
        "and an import): run this again when that write is over"
    )


def debugging() -> bool:
    """Whether `MYSYMBOLS_DEBUG` asks for the traceback behind a set-up failure (read when one
    happens, by processes that may build no `Environment`: the demo, the test session)."""
    return os.environ.get(DEBUG_ENV, "").strip().lower() in TRUE


def masked(url: str) -> str:
    """`url` with its password replaced by `***`."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return _PASSWORD.sub(r"\1***@", url)


def reason(exc: BaseException) -> str:
    """What the driver said, in a few words: `connection refused`, `password authentication
    failed for user "x"`, `unable to open database file`."""
    cause = getattr(exc, "orig", None) or exc  # SQLAlchemy's DBAPIError wraps the driver's
    text = _ADAPTED.sub("", str(cause).strip())
    refused = f"[Errno {errno.ECONNREFUSED}]"
    if isinstance(cause, ConnectionRefusedError) or refused in text:  # or one per address
        return "connection refused"
    if isinstance(cause, TimeoutError):
        return "no answer in time"
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror
    return text.splitlines()[0] if text else type(cause).__name__


class DatabaseUnreachable(CommandError):
    """No connection to the database at a URL could be opened. A `CommandError`, so that
    alembic's own command line prints the sentence (`FAILED: ...`), not a traceback."""

    def __init__(
        self, url: str, cause: BaseException, named_by: str, instead: str = "another"
    ) -> None:
        self.url = url
        change = (
            f"pass {instead} with {named_by}"
            if named_by.startswith("--")
            else f"set {named_by} to {instead}"
        )
        if make_url(url).get_backend_name() == "sqlite":
            what, todo = "open", f"check that its directory exists and is writable, or {change}"
        else:
            what, todo = "reach", f"start PostgreSQL there ({SET_UP}) or {change}"
        super().__init__(
            f"cannot {what} the database at {masked(url)} ({reason(cause)}): {todo}. "
            f"{DEBUG_ENV}=1 shows the traceback."
        )


@asynccontextmanager
async def connected(engine: AsyncEngine, named_by: str) -> AsyncIterator[AsyncConnection]:
    """A connection of `engine`, closed on the way out; one that cannot be opened is
    `DatabaseUnreachable`, unless debugging, when the driver's own error goes up as it is."""
    url = engine.url.render_as_string(hide_password=False)
    try:
        if engine.dialect.name == "sqlite" and not debugging():
            _open_sqlite(engine.url.database)
        connection = await engine.connect()
    except Exception as exc:
        if debugging():
            raise
        raise DatabaseUnreachable(url, exc, named_by) from exc
    try:
        yield connection
    finally:
        await connection.close()


def _open_sqlite(database: str | None) -> None:
    """Open (so create) the SQLite file here first: aiosqlite, failing to, leaves its worker
    thread to answer on the event loop after `asyncio.run` closed it, which prints a traceback
    of its own (`RuntimeError: Event loop is closed`)."""
    if database and database != ":memory:":
        sqlite3.connect(database).close()
