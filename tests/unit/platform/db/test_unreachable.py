"""A database that cannot be reached, in one sentence: the address with its password masked,
the driver's reason in a few words, what to do and what to change."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import create_async_engine

from app.platform.db.unreachable import (
    DEBUG_ENV,
    DatabaseUnreachable,
    connected,
    debugging,
    masked,
    reason,
)

NOWHERE = "postgresql+asyncpg://desk:s3cret@127.0.0.1:1/mysymbols"


class TestMasked:
    def test_the_password_is_masked(self) -> None:
        assert masked(NOWHERE) == "postgresql+asyncpg://desk:***@127.0.0.1:1/mysymbols"

    def test_a_url_without_password_stays_as_given(self) -> None:
        url = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
        assert masked(url) == url

    def test_an_unparsable_url_still_loses_its_password(self) -> None:
        assert masked("not a url://me:pw@host/db") == "not a url://me:***@host/db"


class TestReason:
    def test_a_refused_connection(self) -> None:
        assert reason(ConnectionRefusedError(111, "Connect call failed")) == "connection refused"

    def test_refused_on_every_address_of_a_name(self) -> None:
        both = OSError(
            "Multiple exceptions: [Errno 111] Connect call failed ('::1', 5432, 0, 0), "
            "[Errno 111] Connect call failed ('127.0.0.1', 5432)"
        )
        assert reason(both) == "connection refused"

    def test_no_answer_in_time(self) -> None:
        assert reason(TimeoutError()) == "no answer in time"

    def test_the_drivers_words_through_sqlalchemys_wrapper(self) -> None:
        wrapped = OperationalError(
            "connect", {}, sqlite3.OperationalError("unable to open database file")
        )
        assert reason(wrapped) == "unable to open database file"

    def test_the_asyncpg_adaptors_class_name_is_dropped(self) -> None:
        adapted = Exception(
            "<class 'asyncpg.exceptions.InvalidPasswordError'>: password authentication "
            'failed for user "desk"'
        )
        assert reason(adapted) == 'password authentication failed for user "desk"'


class TestSentence:
    def test_postgresql_says_start_it_or_set_the_variable(self) -> None:
        said = str(DatabaseUnreachable(NOWHERE, ConnectionRefusedError(), "MYSYMBOLS_DATABASE_URL"))
        assert said == (
            "cannot reach the database at postgresql+asyncpg://desk:***@127.0.0.1:1/mysymbols "
            '(connection refused): start PostgreSQL there (README.md, "Set up", has the command) '
            "or set MYSYMBOLS_DATABASE_URL to another. MYSYMBOLS_DEBUG=1 shows the traceback."
        )

    def test_sqlite_says_check_the_directory(self) -> None:
        url = "sqlite+aiosqlite:////nowhere/mysymbols.db"
        cause = sqlite3.OperationalError("unable to open database file")
        said = str(DatabaseUnreachable(url, cause, "MYSYMBOLS_DATABASE_URL"))
        assert said.startswith(f"cannot open the database at {url} (unable to open database file)")
        assert "check that its directory exists and is writable" in said

    def test_an_option_is_passed_not_set(self) -> None:
        said = str(DatabaseUnreachable(NOWHERE, ConnectionRefusedError(), "--database-url"))
        assert "or pass another with --database-url." in said


class TestConnected:
    async def test_a_refused_connection_is_the_sentence(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv(DEBUG_ENV, raising=False)
        engine = create_async_engine(NOWHERE)
        with pytest.raises(DatabaseUnreachable, match="connection refused") as caught:
            async with connected(engine, "MYSYMBOLS_DATABASE_URL"):
                pass
        await engine.dispose()
        assert caught.value.url == NOWHERE

    async def test_debugging_lets_the_drivers_error_through(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv(DEBUG_ENV, "1")
        engine = create_async_engine(NOWHERE)
        with pytest.raises(ConnectionRefusedError):
            async with connected(engine, "MYSYMBOLS_DATABASE_URL"):
                pass
        await engine.dispose()

    async def test_an_sqlite_file_in_a_missing_directory(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv(DEBUG_ENV, raising=False)
        url = f"sqlite+aiosqlite:///{tmp_path}/missing/mysymbols.db"
        engine = create_async_engine(url)
        with pytest.raises(DatabaseUnreachable, match="unable to open database file"):
            async with connected(engine, "--dir"):
                pass
        await engine.dispose()
        assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize(("value", "on"), [("1", True), ("true", True), ("", False), ("0", False)])
def test_the_debug_flag(monkeypatch: pytest.MonkeyPatch, value: str, on: bool) -> None:
    monkeypatch.setenv(DEBUG_ENV, value)
    assert debugging() is on
