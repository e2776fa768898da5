"""The slow-query log: statements over the threshold are logged with their text and duration."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text

from app.platform.core.environment import Environment
from app.platform.db.engine import create_engine
from app.platform.observability.slow_queries import STATEMENT_CHARS
from tests.prometheus import counted

SLOW = "app.platform.observability.slow_queries"


async def run_statement(environment: Environment, sql: str = "SELECT   1 AS\n  answer") -> None:
    engine = create_engine(environment)
    try:
        async with engine.connect() as connection:
            await connection.execute(text(sql))
    finally:
        await engine.dispose()


class TestSlowQueryLog:
    async def test_a_statement_above_the_threshold_is_logged_with_its_start_and_duration(
        self,
        database_url: str,
        make_environment: Callable[..., Environment],
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        before = counted("mysymbols_db_slow_queries_total")
        with caplog.at_level("WARNING", logger=SLOW):
            await run_statement(make_environment(database_url, database={"slow_query_ms": 0.001}))
        ours = [r for r in caplog.records if r.name == SLOW and "answer" in r.getMessage()]
        assert len(ours) == 1
        assert ours[0].getMessage().endswith("ms: SELECT 1 AS answer")  # whitespace folded
        assert ours[0].duration_ms >= 0.001  # type: ignore[attr-defined]
        assert counted("mysymbols_db_slow_queries_total") >= before + 1

    @pytest.mark.parametrize(
        "threshold_ms", [60_000, 0], ids=["under-the-threshold", "zero-logs-none"]
    )
    async def test_nothing_is_logged(
        self,
        threshold_ms: int,
        database_url: str,
        make_environment: Callable[..., Environment],
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        with caplog.at_level("WARNING", logger=SLOW):
            await run_statement(
                make_environment(database_url, database={"slow_query_ms": threshold_ms})
            )
        assert [r for r in caplog.records if r.name == SLOW] == []

    async def test_a_long_statement_is_cut_to_its_first_characters(
        self,
        database_url: str,
        make_environment: Callable[..., Environment],
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        sql = "SELECT " + ", ".join(f"{i} AS column_{i}" for i in range(100))
        with caplog.at_level("WARNING", logger=SLOW):
            await run_statement(
                make_environment(database_url, database={"slow_query_ms": 0.001}), sql
            )
        [ours] = [r for r in caplog.records if r.name == SLOW and "column_0" in r.getMessage()]
        assert ours.getMessage().split(" ms: ", 1)[1] == sql[:STATEMENT_CHARS]
