"""The jobs as the assembly schedules them and the API lists them."""

from __future__ import annotations

from datetime import UTC, datetime

from app.assembly import SCHEDULE
from app.platform.core.environment_sections import SchedulerEnvironment
from app.platform.scheduler.catalog import next_tick


class TestSchedule:
    def test_lists_every_job_once_each_with_a_description(self) -> None:
        names = [job.name for job in SCHEDULE.every()]
        assert len(names) == len(set(names))
        assert {"universe_sync", "score_refresh", "auto_rebalance"} <= set(names)
        assert all(job.description and "\n" not in job.description for job in SCHEDULE.every())

    def test_finds_by_name_only(self) -> None:
        job = SCHEDULE.find("score_refresh")
        assert job is not None and job.interval_key == "score_refresh_interval_s"
        assert SCHEDULE.find("no_such_job") is None

    def test_the_first_start_syncs_then_scores(self) -> None:
        assert [job.name for job in SCHEDULE.first_start] == ["universe_sync", "score_refresh"]

    def test_auto_rebalance_is_scheduled_only_where_switched_on(self) -> None:
        off, on = SchedulerEnvironment(), SchedulerEnvironment(auto_rebalance=True)
        assert "auto_rebalance" not in [job.name for job in SCHEDULE.switched_on(off)]
        assert [job.name for job in SCHEDULE.switched_on(on)] == [
            job.name for job in SCHEDULE.every()
        ]

    def test_next_tick_is_the_next_multiple_of_the_interval(self) -> None:
        at = datetime(2026, 11, 23, 9, 14, 59, tzinfo=UTC).timestamp()
        assert next_tick(900, at) == datetime(2026, 11, 23, 9, 15, tzinfo=UTC)
        on_a_tick = datetime(2026, 11, 23, 9, 15, tzinfo=UTC).timestamp()
        assert next_tick(900, on_a_tick) == datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
