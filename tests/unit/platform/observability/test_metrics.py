"""The metric hooks: labels and the values they leave."""

from __future__ import annotations

from app.platform.observability.metrics import kucoin_endpoint, observe_job_run, observe_scoring_run
from tests.prometheus import counted


class TestKucoinEndpoint:
    def test_a_symbol_in_the_path_becomes_a_placeholder(self) -> None:
        assert kucoin_endpoint("/api/v1/contracts/XBTUSDTM") == "/api/v1/contracts/{symbol}"

    def test_paths_without_a_symbol_stay_as_they_are(self) -> None:
        assert kucoin_endpoint("/api/v1/contracts/active") == "/api/v1/contracts/active"
        assert kucoin_endpoint("/api/v1/kline/query") == "/api/v1/kline/query"


class TestScoringRun:
    def test_the_latest_run_replaces_the_excluded_counts_of_the_previous_one(self) -> None:
        runs = counted("mysymbols_scoring_run_duration_seconds_count")
        observe_scoring_run(2.5, 30, {"STALE_TICKER": 2, "CANDLE_GAPS": 1})
        observe_scoring_run(3.0, 28, {"CANDLE_GAPS": 4})
        assert counted("mysymbols_scoring_run_duration_seconds_count") == runs + 2
        assert counted("mysymbols_scoring_last_scored_symbols") == 28
        assert counted("mysymbols_scoring_last_excluded_symbols", reason="CANDLE_GAPS") == 4
        assert counted("mysymbols_scoring_last_excluded_symbols", reason="STALE_TICKER") == 0


class TestJobRun:
    def test_any_status_the_runner_ends_with_is_a_label(self) -> None:
        labels = {"job": "unit_job", "status": "degraded"}
        before = counted("mysymbols_job_runs_total", **labels)
        observe_job_run("unit_job", "degraded", 1.25)
        observe_job_run("unit_job", "degraded", None)  # recorded without running (no duration)
        assert counted("mysymbols_job_runs_total", **labels) == before + 2
        assert counted("mysymbols_job_run_duration_seconds_count", **labels) == 1
        assert counted("mysymbols_job_run_duration_seconds_sum", **labels) == 1.25
