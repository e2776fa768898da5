"""The job registry as the API shows it, and when a score refresh counts as degraded."""

from __future__ import annotations

from datetime import UTC, datetime

from app.platform.scheduler.catalog import find, next_tick, registry
from app.portfolio.score_refresh import nothing_scored_problem as nothing_scored


class TestRegistry:
    def test_lists_every_job_once_each_with_a_description(self) -> None:
        names = [job.name for job in registry()]
        assert len(names) == len(set(names))
        assert {"universe_sync", "score_refresh", "auto_rebalance"} <= set(names)
        assert all(job.description and "\n" not in job.description for job in registry())

    def test_finds_by_name_only(self) -> None:
        job = find("score_refresh")
        assert job is not None and job.interval_key == "score_refresh_interval_s"
        assert find("no_such_job") is None

    def test_next_tick_is_the_next_multiple_of_the_interval(self) -> None:
        at = datetime(2026, 11, 23, 9, 14, 59, tzinfo=UTC).timestamp()
        assert next_tick(900, at) == datetime(2026, 11, 23, 9, 15, tzinfo=UTC)
        on_a_tick = datetime(2026, 11, 23, 9, 15, tzinfo=UTC).timestamp()
        assert next_tick(900, on_a_tick) == datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


class TestDegradedScoreRefresh:
    def test_scored_anything_is_not_degraded(self) -> None:
        exclusions = {"universe_sync": "exchange-unavailable", "fetch_failures": {"A": "x"}}
        assert nothing_scored(3, exclusions) is None

    def test_nothing_scored_with_kucoin_answering_is_not_degraded(self) -> None:
        assert nothing_scored(0, {"fetch_failures": {}, "by_reason": {"ZERO_VOLUME": 4}}) is None

    def test_a_failed_universe_sync_names_its_problem(self) -> None:
        problem = nothing_scored(0, {"universe_sync": "exchange-circuit-open"})
        assert problem is not None
        assert problem["type"] == "urn:mysymbols:problem:exchange-circuit-open"
        assert (problem["status"], problem["fetch_failures"]) == (503, 0)
        assert "universe sync: exchange-circuit-open" in problem["detail"]

    def test_failed_fetches_alone_name_the_commonest_failure(self) -> None:
        failures = {
            "A": "exchange-bad-response",
            "B:book": "exchange-unavailable",
            "C": "exchange-unavailable",
        }
        problem = nothing_scored(0, {"fetch_failures": failures})
        assert problem is not None
        assert problem["type"] == "urn:mysymbols:problem:exchange-unavailable"
        assert problem["universe_sync"] is None and problem["fetch_failures"] == 3
        assert "3 market-data fetches failed" in problem["detail"]
