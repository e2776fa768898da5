"""The main journey against the service as deployed (one uvicorn process per backend, caches on,
the scheduler on, real commits): the first start syncs and scores by itself; a scoring run is
followed through its `Location`; the portfolio is filled, a member replaced, the weights
rebalanced; and every read that follows a write shows it at once, though the answer before it
was served from the cache. Reads answer while a scoring run runs."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import BACKENDS
from tests.deployed import API
from tests.deployed.service import (
    ADMIN,
    READ,
    UNIVERSE,
    Service,
    cached,
    deploy,
    exchange_on_hold,
    fill,
    held,
    outsiders,
)
from tests.helpers import absolute, run_ended

JOBS = f"{API}/jobs/runs"
REQUEST_GAP_S = 5


async def requested(api: httpx.AsyncClient, path: str) -> httpx.Response:
    """POST `path` (a job's run), once more after `Retry-After` if the job's gap is not over."""
    response = await api.post(path)
    if response.status_code == 429 and response.json().get("limit") == "job_request":
        await asyncio.sleep(int(response.headers["retry-after"]))
        response = await api.post(path)
    return response


@pytest.fixture(scope="module", params=BACKENDS)
async def service(
    request: pytest.FixtureRequest,
    simulator_url: str,
    service_log: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Service]:
    directory = tmp_path_factory.mktemp("journey")
    async for service in deploy(
        request.param,
        1,
        simulator_url,
        service_log,
        directory,
        # On, shorter than its default: the journey requests scoring runs seconds apart.
        MYSYMBOLS_SCHEDULER__REQUEST_GAP_S=str(REQUEST_GAP_S),
    ):
        yield service


@pytest.fixture
async def api(service: Service) -> AsyncIterator[httpx.AsyncClient]:
    """A trader's client of the one replica (reads send the read key)."""
    async with service.client() as client:
        yield client


def members_of(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    return list(response.json()["members"])


def open_rows(timeline: dict[str, Any]) -> set[str]:
    """The symbols of the timeline's intervals still open (ending at its `to`)."""
    return {row["symbol"] for row in timeline["rows"] if row["to"] == timeline["to"]}


class TestFirstStart:
    async def test_syncs_and_scores_by_itself_and_schedules_its_jobs(
        self, api: httpx.AsyncClient
    ) -> None:
        runs = (await api.get("/jobs/runs", headers=READ)).json()
        caught_up = [
            (r["job"], r["status"]) for r in reversed(runs) if r["requested_by"] == "bootstrap"
        ]
        assert caught_up == [("universe_sync", "succeeded"), ("score_refresh", "succeeded")]
        scored = next(
            r for r in runs if r["requested_by"] == "bootstrap" and r["job"] == "score_refresh"
        )
        symbols = (await api.get("/symbols", params={"limit": 1}, headers=READ)).json()
        assert symbols["total"] == UNIVERSE
        first = (await api.get(f"/scoring/runs/{scored['result']['run_id']}", headers=READ)).json()
        assert (first["status"], first["scored_count"]) == ("completed", UNIVERSE)
        jobs = (await api.get("/jobs", headers=READ)).json()
        scheduled = {job["name"] for job in jobs if job["enabled"]}
        assert {"universe_sync", "score_refresh", "alert_check"} <= scheduled
        assert all(job["next_tick"] is not None for job in jobs if job["enabled"])


class TestScoring:
    async def test_a_run_is_followed_through_its_location_and_rankings_show_it_at_once(
        self, api: httpx.AsyncClient
    ) -> None:
        before = await cached(api, "/scoring/rankings", limit=5)
        started = await api.post("/scoring/calculate")
        assert started.status_code == 202, started.text
        location = started.headers["location"]
        assert location == f"{JOBS}/{started.json()['id']}"
        run = await run_ended(api, location, READ)
        assert (run["status"], run["progress"], run["problem"]) == ("succeeded", 1.0, None)
        after = await api.get("/scoring/rankings", params={"limit": 5}, headers=READ)
        assert after.headers.get("x-cache") is None
        assert after.json()["run_id"] == run["result"]["run_id"] > before.json()["run_id"]
        assert after.headers["etag"] != before.headers["etag"]
        scoring = (await api.get(f"/scoring/runs/{run['result']['run_id']}", headers=READ)).json()
        assert (scoring["status"], scoring["scored_count"]) == ("completed", UNIVERSE)

    async def test_a_sync_with_wait_answers_its_report_and_the_symbols_show_it(
        self, api: httpx.AsyncClient
    ) -> None:
        before = await cached(api, "/symbols", limit=1)
        synced = await api.post("/symbols/sync", params={"wait": 60})
        assert synced.status_code == 200, synced.text
        assert synced.json()["contracts"] == UNIVERSE
        run = (await api.get(absolute(api, synced.headers["location"]), headers=READ)).json()
        assert (run["job"], run["status"]) == ("universe_sync", "succeeded")
        after = await api.get("/symbols", params={"limit": 1}, headers=READ)
        assert after.headers.get("x-cache") is None and after.json()["total"] == UNIVERSE
        assert after.json()["items"][0]["last_seen_at"] > before.json()["items"][0]["last_seen_at"]


class TestPortfolio:
    async def test_each_added_symbol_is_in_the_next_reads(self, api: httpx.AsyncClient) -> None:
        members = await held(api)
        if len(members) == 10:  # full already: make room, which reads show at once too
            assert (
                await api.post("/portfolio/remove-symbol", json={"symbol": members[-1]})
            ).status_code == 200
            assert members[-1] not in await held(api)
        added = 0
        for symbol in await outsiders(api):
            if len(await held(api)) == 10:
                break
            before = await cached(api, "/portfolio")
            pairlist_before = await cached(api, "/pairlist")
            response = await api.post("/portfolio/add-symbol", json={"symbol": symbol})
            if response.status_code != 200:  # refused (correlated with a member, say): next
                continue
            added += 1
            after = await api.get("/portfolio", headers=READ)
            assert symbol in [m["symbol"] for m in members_of(after)]
            assert after.headers["etag"] != before.headers["etag"]
            pairs = (await api.get("/pairlist", headers=READ)).json()
            ccxt = response.json()["portfolio"]["members"]
            assert pairs["pairs"] == [m["ccxt_symbol"] for m in ccxt]
            assert pairs != pairlist_before.json()
        assert added >= 1 and len(await held(api)) == 10

    async def test_a_replaced_member_is_gone_from_every_read_at_once(
        self, api: httpx.AsyncClient
    ) -> None:
        members = await fill(api)
        reads = {
            path: await cached(api, path)
            for path in ("/portfolio", "/pairlist", "/portfolio/history", "/portfolio/timeline")
        }
        leaving, newcomer = members[-1], None
        for candidate in await outsiders(api):
            response = await api.post(
                "/portfolio/replace-symbol", json={"old_symbol": leaving, "new_symbol": candidate}
            )
            if response.status_code == 200:
                newcomer = candidate
                break
        assert newcomer is not None, "no outsider could replace the last member"
        portfolio = await api.get("/portfolio", headers=READ)
        assert [m["symbol"] for m in members_of(portfolio)] == [*members[:-1], newcomer]
        assert portfolio.headers["etag"] != reads["/portfolio"].headers["etag"]
        pairs = (await api.get("/pairlist", headers=READ)).json()
        by_symbol = {m["symbol"]: m for m in members_of(portfolio)}
        assert pairs["pairs"][-1] == by_symbol[newcomer]["ccxt_symbol"]
        assert pairs["ranks"][by_symbol[newcomer]["ccxt_symbol"]] == 10
        newest = (await api.get("/portfolio/history", headers=READ)).json()[0]
        assert (newest["action"], newest["symbol"], newest["replaced_symbol"]) == (
            "replace",
            newcomer,
            leaving,
        )
        timeline = (await api.get("/portfolio/timeline", headers=READ)).json()
        assert open_rows(timeline) == set(by_symbol)

    async def test_a_rebalance_to_another_method_is_in_the_next_reads(
        self, api: httpx.AsyncClient
    ) -> None:
        await fill(api)
        before = await cached(api, "/portfolio")
        await cached(api, "/config")
        changed = await api.put(
            "/config", json={"values": {"weighting_method": "rank"}}, headers=ADMIN
        )
        assert changed.status_code == 200, changed.text
        try:
            settings = (await api.get("/config", headers=READ)).json()["settings"]
            assert {s["key"]: s["value"] for s in settings}["weighting_method"] == "rank"
            rebalanced = await api.post("/portfolio/rebalance", json={})
            assert rebalanced.status_code == 200, rebalanced.text
            assert rebalanced.json()["method"] == "rank"
            changes = rebalanced.json()["changes"]
            assert any(change["applied"] for change in changes)
            after = await api.get("/portfolio", headers=READ)
            weights = {m["symbol"]: m["weight"] for m in members_of(after)}
            assert weights == {
                c["symbol"]: c["target_weight"] if c["applied"] else c["current_weight"]
                for c in changes
            }
            assert after.headers["etag"] != before.headers["etag"]
            ccxt = {m["symbol"]: m["ccxt_symbol"] for m in members_of(after)}
            pairs = (await api.get("/pairlist", headers=READ)).json()
            assert pairs["weights"] == {ccxt[s]: float(w) for s, w in weights.items()}
            newest = (await api.get("/portfolio/history", headers=READ)).json()[0]
            assert newest["action"] == "rebalance"
        finally:
            await api.put("/config", json={"values": {"weighting_method": "score"}}, headers=ADMIN)


class TestJobRequests:
    async def test_a_job_requested_again_moments_after_its_run_is_429_with_the_wait(
        self, api: httpx.AsyncClient
    ) -> None:
        """The gap between requested runs of a job is on as deployed (the ASGI suite lifts it);
        after it, the job runs again."""
        first = await api.post("/jobs/alert_check/run", params={"wait": 30}, headers=ADMIN)
        assert first.status_code == 200, first.text
        again = await api.post("/jobs/alert_check/run", headers=ADMIN)
        assert again.status_code == 429, again.text
        problem = again.json()
        assert (problem["limit"], problem["job"], problem["run_id"]) == (
            "job_request",
            "alert_check",
            first.json()["id"],
        )
        assert 1 <= int(again.headers["retry-after"]) <= REQUEST_GAP_S
        await asyncio.sleep(int(again.headers["retry-after"]))
        later = await api.post("/jobs/alert_check/run", params={"wait": 30}, headers=ADMIN)
        assert later.status_code == 200, later.text


class TestReadsDuringARun:
    async def test_answer_with_the_portfolio_as_committed_while_a_scoring_run_runs(
        self, api: httpx.AsyncClient, simulator_url: str
    ) -> None:
        members = await fill(api)
        old_run = (await api.get("/scoring/rankings", headers=READ)).json()["run_id"]

        async def read_round(location: str) -> str:
            """Every read answers with the portfolio as committed; the run's status."""
            run, portfolio, pairlist, rankings = await asyncio.gather(
                api.get(absolute(api, location), headers=READ),
                api.get("/portfolio", headers=READ),
                api.get("/pairlist", headers=READ),
                api.get("/scoring/rankings", params={"limit": 5}, headers=READ),
            )
            for response in (run, portfolio, pairlist, rankings):
                assert response.status_code == 200, response.text
            listed = members_of(portfolio)
            assert [m["symbol"] for m in listed] == members
            assert sum(float(m["weight"]) for m in listed) == pytest.approx(100, abs=0.01)
            assert pairlist.json()["pairs"] == [m["ccxt_symbol"] for m in listed]
            assert rankings.json()["run_id"] >= old_run and rankings.json()["items"]
            return str(run.json()["status"])

        # The run's first step, its universe sync, waits on KuCoin: one round is read while the
        # run is surely under way; then the run goes on, and rounds are read until it ends.
        async with exchange_on_hold(simulator_url):
            started = await requested(api, "/scoring/calculate")
            assert started.status_code == 202, started.text
            location = started.headers["location"]
            assert await read_round(location) == "running"
        while await read_round(location) == "running":
            pass
        run = (await api.get(absolute(api, location), headers=READ)).json()
        assert run["status"] == "succeeded", run
        after = (await api.get("/scoring/rankings", headers=READ)).json()
        assert after["run_id"] == run["result"]["run_id"] > old_run
