"""Which runs of the suite check the PostgreSQL test server before collecting
(tests/databases.py), and the sentence they stop with when it does not answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.databases import POSTGRES_ENV, needs_postgres, postgres_problem

ROOT = Path(__file__).resolve().parents[3]
FAST_TIER = ["tests/unit", "tests/api/test_every_route.py", "tests/api/test_hostile_input.py"]


def run_of(*paths: str) -> list[Path]:
    return [ROOT / path for path in paths]


class TestWhichRunsCheck:
    def test_the_whole_suite_does(self) -> None:
        assert needs_postgres(run_of("tests"), ROOT)

    def test_a_tier_that_holds_postgresqls_tests_does(self) -> None:
        assert needs_postgres(run_of("tests/integration/platform/db"), ROOT)
        assert needs_postgres(run_of("tests/api"), ROOT)

    def test_the_checkouts_root_does(self) -> None:
        assert needs_postgres(run_of("."), ROOT)

    def test_the_fast_tier_does_not(self) -> None:
        assert not needs_postgres(run_of(*FAST_TIER), ROOT)

    def test_a_folder_without_postgresql_does_not(self) -> None:
        assert not needs_postgres(run_of("tests/unit/platform", "tests/browser"), ROOT)

    def test_a_file_waits_for_its_first_test_that_needs_it(self) -> None:
        assert not needs_postgres(run_of("tests/integration/platform/test_demo.py"), ROOT)


async def test_a_server_not_answering_is_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MYSYMBOLS_DEBUG", raising=False)
    monkeypatch.setenv(POSTGRES_ENV, "postgresql+asyncpg://ci:s3cret@127.0.0.1:1/ci_db")
    problem = await postgres_problem()
    assert problem is not None
    assert problem.startswith(
        "cannot reach the database at postgresql+asyncpg://ci:***@127.0.0.1:1/ci_db "
        "(connection refused): start PostgreSQL there"
    )
    assert f"set {POSTGRES_ENV} to an empty database that answers" in problem
    assert "\n" not in problem
