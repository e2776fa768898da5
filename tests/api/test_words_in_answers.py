"""Every GET route of the app, walked on a young database and on one like the demo's, says in
words what it cannot compute yet: no string of any JSON answer holds a `nan`, an infinity or a
negative count or duration (`tests.api.unsaid_figures`), and neither do the answers to the
requests that built the database (a refused evidence refresh, a skipped job run).

The young database: just migrated, the simulator's universe synced and scored once, then every
background job run once as the scheduler's first ticks would. The demo's (`scripts/demo.py`): the
same, then ten members added from the ranking as the demo adds them, a signal, and a finished
replay and walk-forward calibration (computed by the lab's pure code on a generated history, as
tests/api/test_every_route.py stores them: this suite's rolled-back session starts no queued
run), then every job run again. The routes are read from the app itself, their path parameters
filled with ids and symbols from the database; both databases are built once for the module, in
one transaction rolled back at its end. Last, what the matching finds and leaves (`TestUnsaid`).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from starlette.responses import StreamingResponse

from app.books.replay_config import deployment_policy
from app.books.simulation.replay_params import policy_hash
from app.lab.models import ReplayRun
from app.market.models import Symbol
from app.platform.core.environment import Environment
from app.platform.db.models import JobRun
from app.records.hours import ceil_hour
from app.scoring.models import ScoringRun, SymbolScore
from app.signals.models import Signal
from tests.api.test_every_route import finished_run, generated_reports
from tests.api.unsaid_figures import strings_in, unsaid, unsaid_in
from tests.conftest import (
    ADMIN_KEY,
    app_on_session,
    joined_session,
    simulator_environment,
    start_app,
)
from tests.helpers import run_ended
from tests.sim_fixtures import live_clock_ms, running_simulator

API = "/api/symbol-mgmt"
ADMIN = {"X-API-Key": ADMIN_KEY}  # every route reads with it
UNIVERSE = 16
MEMBERS = 10  # the demo's portfolio
# Jobs the walk requests by their own operations (sync, scoring) rather than by `/jobs`.
REQUESTED = {"universe_sync", "score_refresh"}
# Where each path parameter's value comes from: the newest row a route reads.
PATH_ROWS: dict[tuple[str, str], Select[Any]] = {
    ("get_symbol", "symbol"): select(Symbol.symbol)
    .join(SymbolScore, SymbolScore.symbol_id == Symbol.id)
    .order_by(Symbol.id)
    .limit(1),
    ("get_symbol_scores", "symbol"): select(Symbol.symbol)
    .join(SymbolScore, SymbolScore.symbol_id == Symbol.id)
    .order_by(Symbol.id)
    .limit(1),
    ("get_scoring_run", "run_id"): select(func.max(ScoringRun.id)),
    ("get_replay", "run_id"): select(func.max(ReplayRun.id)),
    ("get_replay_timeline", "run_id"): select(func.max(ReplayRun.id)).where(
        ReplayRun.kind == "replay", ReplayRun.status == "succeeded"
    ),
    ("get_job_run", "run_id"): select(func.max(JobRun.id)),
    ("get_signal", "signal_id"): select(func.max(Signal.id)),
}
PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")


@dataclass
class Walked:
    """One database's answers: every GET route's by its name, and the requests' that built it
    by method and path; the routes not requested, with why."""

    answers: dict[str, httpx.Response] = field(default_factory=dict)
    not_walked: dict[str, str] = field(default_factory=dict)
    routes: list[str] = field(default_factory=list)  # every GET route's name

    def unsaid(self) -> dict[str, dict[str, list[str]]]:
        """The unsaid figures of each JSON answer that holds any. The other answers are no
        text of ours: the Prometheus exposition's `+Inf` bucket bounds and `NaN` are its
        format's words, and the docs' and the dashboard's pages are markup."""
        found = {}
        for name, response in self.answers.items():
            media = response.headers.get("content-type", "").split(";")[0]
            if media.endswith("json") and (figures := unsaid_in(response.json())):
                found[name] = figures
        return found


def get_routes(app: FastAPI) -> list[tuple[str, APIRoute]]:
    """Every GET route of `app`, but those that stream: an event stream (`GET /events`) never
    ends by itself, and its events are the JSON the other routes answer with (it is walked to
    the app's stop in tests/api/test_every_route.py). Mounts (the dashboard's and the docs'
    static files) serve files, not answers. Each with its path as served (its prefix on)."""
    routes = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or "GET" not in route.methods:
            continue
        answers = route.response_class
        if isinstance(answers, type) and issubclass(answers, StreamingResponse):
            continue
        routes.append((str(context.path), route))
    return routes


async def path_values(session: AsyncSession, path: str, route: APIRoute) -> dict[str, Any] | str:
    """`route`'s path parameters filled from the database, or why they cannot be (no row)."""
    values = {}
    for name in PARAMETER.findall(path):
        query = PATH_ROWS.get((route.name, name))
        assert query is not None, f"no row for {route.name}'s {name}: add one to PATH_ROWS"
        value = await session.scalar(query)
        if value is None:
            return f"no row for its {name} yet"
        values[name] = value
    return values


async def walk_gets(
    client: httpx.AsyncClient, app: FastAPI, session: AsyncSession, walked: Walked
) -> None:
    """Every GET route once, its required query parameters (from the OpenAPI document) filled."""
    document = (await client.get("/openapi.json")).json()
    required = {
        operation["operationId"]: [
            p["name"] for p in operation.get("parameters", []) if p.get("required")
        ]
        for operations in document["paths"].values()
        for operation in operations.values()
    }
    for template, route in get_routes(app):
        walked.routes.append(route.name)
        values = await path_values(session, template, route)
        if isinstance(values, str):
            walked.not_walked[route.name] = values
            continue
        path = PARAMETER.sub(lambda m, filled=values: str(filled[m.group(1)]), template)
        symbol = await session.scalar(PATH_ROWS[("get_symbol", "symbol")])
        query = {"symbol": symbol, "account_balance": 10000}
        params = {name: query[name] for name in required.get(route.name, []) if name in query}
        walked.answers[route.name] = await client.get(path, params=params, headers=ADMIN)


async def request(
    client: httpx.AsyncClient, walked: Walked, method: str, path: str, **kw: Any
) -> httpx.Response:
    """A request that builds the database, its answer kept (a run it started followed to its
    end)."""
    response = await client.request(method, f"{API}{path}", headers=ADMIN, **kw)
    if response.status_code == 202 and "Location" in response.headers:
        await run_ended(client, response.headers["Location"], ADMIN)
    name = f"{method} {path}"
    repeats = sum(1 for sent in walked.answers if sent.split(" #")[0] == name)
    walked.answers[f"{name} #{repeats + 1}" if repeats else name] = response
    return response


async def run_every_job(client: httpx.AsyncClient, walked: Walked) -> None:
    """Each background job once, as the scheduler's ticks would run it (its answer kept: a skip
    says why in words)."""
    jobs = (await client.get(f"{API}/jobs", headers=ADMIN)).json()
    for job in jobs:
        if job["name"] not in REQUESTED:
            await request(client, walked, "POST", f"/jobs/{job['name']}/run", params={"wait": 60})


async def young(client: httpx.AsyncClient, walked: Walked) -> list[str]:
    """The universe synced and scored once, every job run, an evidence refresh asked for; the
    ranking."""
    synced = await request(client, walked, "POST", "/symbols/sync", params={"wait": 60})
    assert synced.status_code == 200, synced.text
    scored = await request(client, walked, "POST", "/scoring/calculate", params={"wait": 60})
    assert scored.status_code == 200, scored.text
    await run_every_job(client, walked)
    await request(client, walked, "POST", "/scoring/evidence/refresh")
    ranking = await client.get(f"{API}/scoring/rankings", params={"limit": 50}, headers=ADMIN)
    return [item["symbol"] for item in ranking.json()["items"]]


async def like_the_demo(
    client: httpx.AsyncClient, session: AsyncSession, walked: Walked, ranked: list[str]
) -> None:
    """The young database with the demo's portfolio, a signal, a finished replay and
    calibration, every job run again."""
    held = 0
    for symbol in ranked:  # as scripts/demo_jobs.py's build_portfolio: top ranked, one by one
        body = {"symbol": symbol, "reason": "demo: top ranked"}
        added = await request(client, walked, "POST", "/portfolio/add-symbol", json=body)
        held += added.status_code == 200
        if held == MEMBERS:
            break
    assert held == MEMBERS
    signal = {
        "source": "demo",
        "symbol": ranked[0],
        "signal_type": "BREAKOUT",
        "direction": "BUY",
        "strength": 0.8,
        "confidence": 0.7,
    }
    created = await request(client, walked, "POST", "/signals", json=signal)
    assert created.status_code == 201, created.text
    replay_report, calibration_report = generated_reports()
    session.add(finished_run("replay", replay_report))
    current = policy_hash(await deployment_policy(session, None, None))
    session.add(finished_run("calibration", calibration_report, current))
    await session.flush()
    await run_every_job(client, walked)


@dataclass(frozen=True)
class Databases:
    young: Walked
    demo: Walked


@pytest.fixture(scope="module")
async def databases(
    engine: AsyncEngine, database_url: str, make_environment: Callable[..., Environment]
) -> AsyncIterator[Databases]:
    """Both databases walked, one after the other, in one transaction rolled back after."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        try:
            async with (
                joined_session(connection) as session,
                running_simulator(universe=UNIVERSE, start_time_ms=live_clock_ms()) as sim,
            ):
                environment = simulator_environment(make_environment, database_url, sim.base_url)
                app = app_on_session(environment, session)
                fresh, demo = Walked(), Walked()
                async for client in start_app(app):
                    ranked = await young(client, fresh)
                    await walk_gets(client, app, session, fresh)
                    await like_the_demo(client, session, demo, ranked)
                    await walk_gets(client, app, session, demo)
            yield Databases(fresh, demo)
        finally:
            await transaction.rollback()


class TestWordsInAnswers:
    def test_a_young_database_says_in_words_what_it_cannot_compute_yet(
        self, databases: Databases
    ) -> None:
        assert databases.young.unsaid() == {}

    def test_a_database_like_the_demos_says_in_words_what_it_cannot_compute_yet(
        self, databases: Databases
    ) -> None:
        assert databases.demo.unsaid() == {}

    def test_every_get_route_is_walked_but_those_with_nothing_to_read_yet(
        self, databases: Databases
    ) -> None:
        assert databases.young.not_walked == {
            "get_replay": "no row for its run_id yet",
            "get_replay_timeline": "no row for its run_id yet",
            "get_signal": "no row for its signal_id yet",
        }
        assert databases.demo.not_walked == {}
        for walked in (databases.young, databases.demo):
            answered = [name for name in walked.answers if name in walked.routes]
            assert sorted([*answered, *walked.not_walked]) == sorted(walked.routes)
        assert len(databases.demo.routes) > 40  # read from the app: a walk of nothing passes

    def test_every_walked_route_answers_without_a_server_error(self, databases: Databases) -> None:
        failed = {
            f"{state}: {name}": f"{response.status_code} {response.text[:200]}"
            for state, walked in (("young", databases.young), ("demo", databases.demo))
            for name, response in walked.answers.items()
            if response.status_code >= 500
        }
        assert failed == {}


class TestSaidOnAYoungDatabase:
    def test_a_refresh_says_how_much_history_it_lacks_and_so_does_the_skipped_job(
        self, databases: Databases
    ) -> None:
        refused = databases.young.answers["POST /scoring/evidence/refresh"]
        assert refused.status_code == 409
        detail = refused.json()["detail"]
        assert detail.startswith(
            "not enough stored history yet: a walk-forward needs 9 days of daily decisions "
            "after the scorer's warm-up of "
        )
        assert detail.endswith("hours stored do not reach past the warm-up yet")
        skipped = databases.young.answers["POST /jobs/evidence_refresh/run"].json()
        assert skipped["detail"] == detail

    def test_each_challenger_says_its_lead_is_not_measured_yet(self, databases: Databases) -> None:
        verdicts = databases.young.answers["get_live_challengers"].json()["verdicts"]
        assert verdicts
        for verdict in verdicts:
            assert verdict["ic_lead"] is None and verdict["ic_lead_t"] is None
            assert verdict["reasons"][0] == "0 forward decisions of the 90 required"
            assert verdict["reasons"][1].startswith(
                "skill-IC lead not measured yet (no decision with both skill ICs), so it "
                "cannot beat Holm's "
            )


class TestSaidOnTheDemosDatabase:
    def test_the_as_run_record_starts_at_the_hour_its_first_decision_trades_in(
        self, databases: Databases
    ) -> None:
        """What the dashboard reads to say "starts at …" and "no update yet": an inception
        after the first decision, nothing marked, no update (so no age of either)."""
        first = databases.demo.answers["POST /portfolio/add-symbol"].json()["change"]
        decided = datetime.fromisoformat(first["occurred_at"])
        as_run = databases.demo.answers["get_live_track_record"].json()["as_run"]
        inception = datetime.fromisoformat(as_run["inception"])
        assert inception == ceil_hour(decided) and inception > decided
        assert (as_run["marked_to"], as_run["updated_at"], as_run["hours"]) == (None, None, 0)


class TestUnsaid:
    @pytest.mark.parametrize(
        ("text", "figures"),
        [
            (
                "skill-IC lead +nan ± nan (t +nan, p 1.0000)",
                ["+nan", "nan", "+nan"],
            ),
            ("the stored history leaves -1 days of decisions", ["-1 days"]),
            ("Sharpe inf, drawdown -inf", ["inf", "-inf"]),
            ("a ratio of Infinity", ["Infinity"]),
            ("NaN % a year", ["NaN"]),
            ("(t NAN)", ["NAN"]),
            ("-3 decisions of the 90 required", ["-3 decisions"]),
            ("ended \u22122 h ago", ["\u22122 h"]),
            ("in -5s", ["-5s"]),
            ("-0.5 d", ["-0.5 d"]),
            ("-1,200 hours to mark", ["-1,200 hours"]),
            ("over -2 weekends", ["-2 weekends"]),
            ("after -1 run", ["-1 run"]),
            ("(-4 seconds)", ["-4 seconds"]),
        ],
    )
    def test_finds_each_unsaid_figure(self, text: str, figures: list[str]) -> None:
        assert unsaid(text) == figures

    @pytest.mark.parametrize(
        "text",
        [
            "financial information, infinite patience, a nanny, Nancy's inflow",
            "INFUSDTM and NANOUSDTM are contracts",
            "skill-IC lead -0.0123 ± 0.0040 (t -3.07, p 0.9989)",
            "paired alpha -0.00012 a decision (t -2.50) is significantly negative",
            "return -3.2 % since inception",
            "Started at 2026-11-28 17:00 UTC, 2026-11-28T17:00:00Z",
            "0 days of decisions; not enough decisions yet: 3 of 30",
            "a-3 days later, 4-5 days",  # a hyphen inside a word or a range: no sign
            "-2 sd; -1 hit; -3 hold",  # one-letter units stand alone
            "decided at 16:03, 1e-5 s",
            "",
        ],
    )
    def test_leaves_words_signed_figures_and_dates(self, text: str) -> None:
        assert unsaid(text) == []


class TestUnsaidIn:
    def test_walks_every_string_value_with_its_path(self) -> None:
        body = {"a": ["ok", {"b": "lead +nan"}], "nan": 1.5, "c": None, "d": "-2 h"}
        assert list(strings_in(body)) == [
            ("$.a[0]", "ok"),
            ("$.a[1].b", "lead +nan"),
            ("$.d", "-2 h"),
        ]
        assert unsaid_in(body) == {"$.a[1].b": ["+nan"], "$.d": ["-2 h"]}

    def test_a_plain_text_answer_is_one_string(self) -> None:
        assert unsaid_in("mysymbols_up 1\nratio NaN\n") == {"$": ["NaN"]}
