"""When a score refresh counts as degraded."""

from __future__ import annotations

from app.scoring.score_refresh import nothing_scored_problem as nothing_scored


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
