"""The set-up commands, run as a person runs them, against a database nobody answers for: each
says in a line or two which address it tried (its password masked) and what to do, names the
variable or option to change, and exits non-zero; the traceback only with MYSYMBOLS_DEBUG=1."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
NOWHERE = "postgresql+asyncpg://desk:s3cret@127.0.0.1:1/mysymbols"  # port 1: refused at once
MASKED = "postgresql+asyncpg://desk:***@127.0.0.1:1/mysymbols"
MOST_LINES = 3
WITHIN_S = 120.0  # a bound, not a measure: a fresh process and its imports on a loaded machine


def run(command: list[str], **env: str) -> tuple[int, str]:
    """`command` from the checkout's root with `env` over a clean environment: its exit code
    and its output (stdout and stderr)."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("MYSYMBOLS_", "PYTEST_", "PORT"))
    }
    done = subprocess.run(
        command,
        cwd=ROOT,
        env={**clean, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=WITHIN_S,
        check=False,
    )
    return done.returncode, done.stdout


def assert_said_in_a_sentence(code: int, out: str, address: str, names: str) -> None:
    lines = out.strip().splitlines()
    assert code != 0, out
    assert 0 < len(lines) <= MOST_LINES, out
    assert address in out and names in out, out
    assert "Traceback" not in out and "s3cret" not in out, out


def assert_traceback(code: int, out: str) -> None:
    assert code != 0, out
    assert "Traceback" in out and "ConnectionRefusedError" in out, out[-2000:]


class TestServe:
    """`scripts/dev.sh serve`: a port taken stops it before it migrates, its migration step
    before uvicorn starts."""

    def test_a_taken_port_is_a_sentence_before_anything_starts(self, tmp_path: Path) -> None:
        database = tmp_path / "mysymbols.db"
        with socket.socket() as holder:  # another process's server, as the port's holder
            holder.bind(("127.0.0.1", 0))
            holder.listen()
            port = holder.getsockname()[1]
            url = f"sqlite+aiosqlite:///{database}"
            code, out = run(["scripts/dev.sh", "serve"], PORT=str(port), MYSYMBOLS_DATABASE_URL=url)
        assert code != 0, out
        assert "Traceback" not in out, out
        said = re.fullmatch(
            rf"scripts/dev.sh serve: port {port} on 127.0.0.1 is in use by another process: "
            r"stop it or pick another, e.g. PORT=(\d+) scripts/dev.sh serve\n",
            out,
        )
        assert said is not None and int(said.group(1)) != port, out
        assert not database.exists()  # no migration ran, nothing started

    def test_postgresql_not_answering_is_a_sentence(self) -> None:
        code, out = run(["scripts/dev.sh", "serve"], MYSYMBOLS_DATABASE_URL=NOWHERE)
        assert_said_in_a_sentence(code, out, MASKED, "set MYSYMBOLS_DATABASE_URL")
        assert "start PostgreSQL" in out and "connection refused" in out

    def test_an_sqlite_file_that_cannot_be_made_is_a_sentence(self, tmp_path: Path) -> None:
        url = f"sqlite+aiosqlite:///{tmp_path}/missing/mysymbols.db"
        code, out = run(["scripts/dev.sh", "serve"], MYSYMBOLS_DATABASE_URL=url)
        assert_said_in_a_sentence(code, out, url, "set MYSYMBOLS_DATABASE_URL")
        assert "unable to open database file" in out and "directory exists" in out


class TestMigrations:
    """The image's migration step and alembic's own command line."""

    def test_the_migration_step_names_the_owners_variable(self) -> None:
        command = [sys.executable, "-m", "app.cli", "migrate"]
        code, out = run(command, MYSYMBOLS_MIGRATION_DATABASE_URL=NOWHERE)
        assert code == 1
        assert_said_in_a_sentence(code, out, MASKED, "set MYSYMBOLS_MIGRATION_DATABASE_URL")

    def test_the_migration_step_shows_the_traceback_when_debugging(self) -> None:
        command = [sys.executable, "-m", "app.cli", "migrate"]
        code, out = run(command, MYSYMBOLS_DATABASE_URL=NOWHERE, MYSYMBOLS_DEBUG="1")
        assert_traceback(code, out)

    def test_alembic_upgrade_says_failed_in_a_sentence(self) -> None:
        alembic = str(Path(sys.executable).with_name("alembic"))
        code, out = run([alembic, "upgrade", "head"], MYSYMBOLS_DATABASE_URL=NOWHERE)
        assert_said_in_a_sentence(code, out, MASKED, "set MYSYMBOLS_DATABASE_URL")
        assert "FAILED: cannot reach the database" in out


class TestDemo:
    """The demo checks its database first, before it starts the simulator or the service."""

    def test_a_database_url_not_answering_is_a_sentence(self, tmp_path: Path) -> None:
        command = [sys.executable, "-m", "scripts.demo", "--database-url", NOWHERE]
        code, out = run([*command, "--dir", str(tmp_path)])
        assert code == 1
        assert_said_in_a_sentence(code, out, MASKED, "pass another with --database-url")
        assert not (tmp_path / "logs").exists()  # nothing was started

    def test_it_shows_the_traceback_when_debugging(self, tmp_path: Path) -> None:
        command = [sys.executable, "-m", "scripts.demo", "--database-url", NOWHERE]
        code, out = run([*command, "--dir", str(tmp_path)], MYSYMBOLS_DEBUG="1")
        assert_traceback(code, out)


class TestTestCommand:
    """`scripts/dev.sh test` checks the test server before collecting anything."""

    def test_the_suite_stops_before_collecting_with_a_sentence(self) -> None:
        code, out = run(["scripts/dev.sh", "test"], MYSYMBOLS_TEST_POSTGRES_URL=NOWHERE)
        assert code == pytest.ExitCode.USAGE_ERROR
        assert_said_in_a_sentence(code, out, MASKED, "set MYSYMBOLS_TEST_POSTGRES_URL")
        assert "collected" not in out and "passed" not in out

    def test_it_shows_the_traceback_when_debugging(self) -> None:
        command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests/integration"]
        code, out = run(command, MYSYMBOLS_TEST_POSTGRES_URL=NOWHERE, MYSYMBOLS_DEBUG="1")
        assert_traceback(code, out)

    def test_the_unit_tests_run_without_it(self) -> None:
        module = "tests/unit/platform/test_setup_failures.py"
        command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", module]
        code, out = run(command, MYSYMBOLS_TEST_POSTGRES_URL=NOWHERE)
        assert code == 0, out
        assert "passed" in out
