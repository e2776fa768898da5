"""Jobs over HTTP against the simulator: a job run now through the one runner (once, 409 while
it runs, 429 moments after the last requested one ended, 404 for no such job, admin only), the
jobs with their schedule and newest runs, and runs that KuCoin kept from their purpose recorded
`degraded` with the reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.assembly import SCHEDULE
from app.market.models import Symbol
from app.platform.core.environment import Environment
from app.platform.db.models import JobRun
from app.scoring.models import ScoringRun
from tests.conftest import (
    ADMIN_KEY,
    READ_KEY,
    TRADE_KEY,
    app_on_session,
    simulator_environment,
    start_app,
)
from tests.helpers import assert_problem, run_ended
from tests.kucoin_sim.app import KucoinSimulator
from tests.sim_fixtures import live_clock_ms

JOBS = "/api/symbol-mgmt/jobs"
ADMIN = {"X-API-Key": ADMIN_KEY}
TRADE = {"X-API-Key": TRADE_KEY}
READ = {"X-API-Key": READ_KEY}
WAIT = {"wait": 60}


@pytest.fixture
def sim_config() -> dict[str, Any]:
    return {"universe": 12, "start_time_ms": live_clock_ms()}


async def runs_of(session: AsyncSession, job: str) -> list[JobRun]:
    query = select(JobRun).where(JobRun.job == job).order_by(JobRun.id)
    return list((await session.scalars(query)).all())


class TestRunNow:
    async def test_runs_the_job_once_and_answers_with_its_run(
        self, api: httpx.AsyncClient, session: AsyncSession, sim: KucoinSimulator
    ) -> None:
        response = await api.post(f"{JOBS}/universe_sync/run", params=WAIT, headers=ADMIN)
        assert response.status_code == 200, response.text
        run = response.json()
        assert (run["job"], run["status"], run["progress"]) == ("universe_sync", "succeeded", 1.0)
        assert run["requested_by"].startswith("bootstrap-admin") and run["scheduled_tick"] is None
        assert response.headers["location"] == f"{JOBS}/runs/{run['id']}"
        stored = await session.scalar(select(func.count()).select_from(Symbol))
        assert run["result"]["contracts"] == stored > 0
        assert [r.id for r in await runs_of(session, "universe_sync")] == [run["id"]]
        assert sim.count("/api/v1/contracts/active") == 1  # the work happened once

    async def test_without_wait_answers_202_with_the_running_run(
        self, api: httpx.AsyncClient, sim: KucoinSimulator
    ) -> None:
        sim.faults.set("slow", seconds=0.5, path="/api/v1/contracts/active", count=1)
        response = await api.post(f"{JOBS}/universe_sync/run", headers=ADMIN)
        assert response.status_code == 202
        assert (response.json()["status"], response.json()["result"]) == ("running", None)
        ended = await run_ended(api, response.headers["location"], READ)
        assert (ended["status"], ended["progress"]) == ("succeeded", 1.0)

    async def test_a_second_run_while_one_runs_is_409_pointing_at_it(
        self, api: httpx.AsyncClient, session: AsyncSession, sim: KucoinSimulator
    ) -> None:
        sim.faults.set("slow", seconds=1.0, path="/api/v1/contracts/active", count=1)
        first = await api.post(f"{JOBS}/universe_sync/run", headers=ADMIN)
        assert first.status_code == 202
        second = await api.post(f"{JOBS}/universe_sync/run", params=WAIT, headers=ADMIN)
        body = assert_problem(second, 409, "run-in-progress")
        assert body["run_id"] == first.json()["id"]
        assert second.headers["location"] == body["run_url"] == first.headers["location"]
        assert (await run_ended(api, first.headers["location"], READ))["status"] == "succeeded"
        assert len(await runs_of(session, "universe_sync")) == 1
        assert sim.count("/api/v1/contracts/active") == 1

    async def test_a_run_of_the_scoring_endpoint_blocks_the_job_too(
        self, api: httpx.AsyncClient, sim: KucoinSimulator
    ) -> None:
        sim.faults.set("slow", seconds=1.0, path="/api/v1/contracts/active", count=1)
        scoring = await api.post("/api/symbol-mgmt/scoring/calculate", headers=TRADE)
        assert scoring.status_code == 202  # the same job, the same ledger
        body = assert_problem(
            await api.post(f"{JOBS}/score_refresh/run", headers=ADMIN), 409, "run-in-progress"
        )
        assert body["run_id"] == scoring.json()["id"]
        ended = await run_ended(api, scoring.headers["location"], READ)
        assert (ended["job"], ended["status"]) == ("score_refresh", "succeeded")

    async def test_an_unknown_job_is_404_and_starts_nothing(
        self, api: httpx.AsyncClient, session: AsyncSession
    ) -> None:
        body = assert_problem(
            await api.post(f"{JOBS}/no_such_job/run", headers=ADMIN), 404, "not-found"
        )
        assert "no_such_job" in str(body["detail"])
        malformed = await api.post(f"{JOBS}/Not-A-Job/run", headers=ADMIN)
        assert_problem(malformed, 422, "validation-error")
        assert await session.scalar(select(func.count()).select_from(JobRun)) == 0

    async def test_needs_an_admin_key(
        self, api: httpx.AsyncClient, session: AsyncSession, sim: KucoinSimulator
    ) -> None:
        assert_problem(await api.post(f"{JOBS}/universe_sync/run", headers=TRADE), 403, "forbidden")
        assert_problem(await api.post(f"{JOBS}/universe_sync/run", headers=READ), 403, "forbidden")
        assert_problem(await api.post(f"{JOBS}/universe_sync/run"), 401, "unauthenticated")
        assert await session.scalar(select(func.count()).select_from(JobRun)) == 0
        assert sim.count("/api/v1/contracts/active") == 0

    async def test_once_the_process_is_stopping_is_503_and_starts_nothing(
        self, api: httpx.AsyncClient, sim_app: FastAPI, session: AsyncSession
    ) -> None:
        sim_app.state.app_state.shutdown.set()  # as the SIGTERM handler does
        response = await api.post(f"{JOBS}/universe_sync/run", params=WAIT, headers=ADMIN)
        assert_problem(response, 503, "shutting-down")
        assert int(response.headers["retry-after"]) > 0
        assert await session.scalar(select(func.count()).select_from(JobRun)) == 0

    async def test_a_skipped_run_is_409_saying_why(self, api: httpx.AsyncClient) -> None:
        response = await api.post(f"{JOBS}/evidence_refresh/run", params=WAIT, headers=ADMIN)
        body = assert_problem(response, 409, "run-skipped")  # no stored history to calibrate
        assert "no hourly candles are stored" in str(body["detail"])
        run = (await api.get(str(body["run_url"]), headers=READ)).json()
        assert (run["status"], run["result"]) == ("skipped", None)

    async def test_a_skipped_run_is_no_error_and_says_why_as_its_skip_reason(
        self, api: httpx.AsyncClient
    ) -> None:
        response = await api.post(f"{JOBS}/evidence_refresh/run", params=WAIT, headers=ADMIN)
        why = str(assert_problem(response, 409, "run-skipped")["detail"])
        run = (await api.get(response.headers["location"], headers=READ)).json()
        assert (run["status"], run["problem"], run["skip_reason"]) == ("skipped", None, why)
        listed = await api.get(f"{JOBS}/runs", params={"job": "evidence_refresh"}, headers=READ)
        assert [(r["id"], r["skip_reason"]) for r in listed.json()] == [(run["id"], why)]

    async def test_a_run_that_did_not_succeed_has_no_skip_reason(
        self, api: httpx.AsyncClient, sim: KucoinSimulator
    ) -> None:
        sim.faults.set("http_500", status=503)  # every request, until cleared
        response = await api.post(f"{JOBS}/universe_sync/run", params=WAIT, headers=ADMIN)
        assert_problem(response, 503, "exchange-unavailable")
        run = (await api.get(response.headers["location"], headers=READ)).json()
        assert (run["status"], run["skip_reason"]) == ("degraded", None)


class TestRequestGap:
    async def test_a_job_requested_again_moments_after_its_run_ended_is_429(
        self,
        sim: KucoinSimulator,
        database_url: str,
        make_environment: Callable[..., Environment],
        session: AsyncSession,
    ) -> None:
        environment = simulator_environment(make_environment, database_url, sim.base_url)
        environment.scheduler.request_gap_s = 30  # the default the rest of this suite lifts
        async for api in start_app(app_on_session(environment, session)):
            first = await api.post(f"{JOBS}/universe_sync/run", params=WAIT, headers=ADMIN)
            assert first.status_code == 200, first.text
            again = await api.post(f"{JOBS}/universe_sync/run", params=WAIT, headers=ADMIN)
            through_sync = await api.post("/api/symbol-mgmt/symbols/sync", headers=TRADE)
            other_job = await api.post(f"{JOBS}/alert_check/run", params=WAIT, headers=ADMIN)
        for refused in (again, through_sync):
            body = assert_problem(refused, 429, "rate-limited")
            assert (body["limit"], body["job"]) == ("job_request", "universe_sync")
            assert body["run_id"] == first.json()["id"]
            assert 1 <= int(refused.headers["retry-after"]) <= 30
        assert other_job.status_code == 200, other_job.text  # each job has its own gap
        assert [r.id for r in await runs_of(session, "universe_sync")] == [first.json()["id"]]
        assert sim.count("/api/v1/contracts/active") == 1


class TestList:
    async def test_lists_every_registered_job_with_its_newest_runs_first(
        self, api: httpx.AsyncClient
    ) -> None:
        ids = [
            (await api.post(f"{JOBS}/alert_check/run", params=WAIT, headers=ADMIN)).json()["id"]
            for _ in range(3)
        ]
        jobs = (await api.get(JOBS, params={"runs": 2}, headers=READ)).json()
        assert [job["name"] for job in jobs] == [job.name for job in SCHEDULE.every()]
        assert "auto_rebalance" in [job["name"] for job in jobs]  # listed though switched off
        by_name = {job["name"]: job for job in jobs}
        alerts = by_name["alert_check"]
        assert [run["id"] for run in alerts["last_runs"]] == ids[:0:-1]  # the newest two
        assert alerts["interval_s"] == 300 and alerts["interval_key"] == "alert_check_interval_s"
        assert alerts["description"].startswith("Alert conditions")
        # The scheduler is off in these tests: nothing is scheduled here, so no next tick.
        assert all(not job["enabled"] and job["next_tick"] is None for job in jobs)
        assert by_name["universe_sync"]["last_runs"] == []

    async def test_needs_a_key(self, api: httpx.AsyncClient) -> None:
        assert_problem(await api.get(JOBS), 401, "unauthenticated")
        assert (await api.get(JOBS, headers=READ)).status_code == 200


class TestKucoinUnreachable:
    async def test_a_score_refresh_that_scored_nothing_is_degraded_with_its_reason(
        self, api: httpx.AsyncClient, session: AsyncSession, sim: KucoinSimulator
    ) -> None:
        sim.faults.set("http_500", status=503)  # every request, until cleared
        response = await api.post(f"{JOBS}/score_refresh/run", params=WAIT, headers=ADMIN)
        body = assert_problem(response, 503, "exchange-unavailable")  # the run's own problem
        assert "nothing scored" in str(body["detail"])
        run = (await api.get(str(body["run_url"]), headers=READ)).json()
        assert (run["status"], run["progress"]) == ("degraded", 1.0)
        assert run["result"]["scored"] == 0 and run["result"]["replacements_proposed"] == []
        problem = run["problem"]
        assert problem["type"] == "urn:mysymbols:problem:exchange-unavailable"
        assert (problem["status"], problem["universe_sync"]) == (503, "exchange-unavailable")
        assert problem["scoring_run_id"] == run["result"]["run_id"]
        # Its work is kept: the scoring run that scored nothing, for the record.
        scoring = await session.get(ScoringRun, run["result"]["run_id"])
        assert scoring is not None and scoring.scored_count == 0
        assert scoring.exclusions["universe_sync"] == "exchange-unavailable"
        assert_problem(
            await api.get("/api/symbol-mgmt/scoring/rankings", headers=READ), 404, "not-found"
        )
        listed = await api.get(f"{JOBS}/runs", params={"job": "score_refresh"}, headers=READ)
        assert [r["status"] for r in listed.json()] == ["degraded"]

    async def test_once_kucoin_answers_the_next_run_succeeds(
        self, api: httpx.AsyncClient, sim: KucoinSimulator
    ) -> None:
        sim.faults.set("http_500", status=503, count=1)  # the universe sync's one attempt
        first = await api.post(f"{JOBS}/universe_sync/run", params=WAIT, headers=ADMIN)
        assert_problem(first, 503, "exchange-unavailable")
        second = await api.post(f"{JOBS}/universe_sync/run", params=WAIT, headers=ADMIN)
        assert second.status_code == 200 and second.json()["status"] == "succeeded"
