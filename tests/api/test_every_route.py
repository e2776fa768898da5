"""Every operation of the OpenAPI document, sent once with valid parameters and a key of the
role it asks for, answers its documented success status with a body its documented schema
accepts (the schema FastAPI writes from the route's response model).

One app on SQLite against the simulator walks them in the order a desk would: sync, score,
fill the portfolio, read it, then the rest. Two answers need a background computation this
suite never starts (its requests share one rolled-back session, so no commit launches a queued
replay): a finished replay's timeline and the scoring evidence read runs whose reports the
pure replay and calibration computed here, on a small generated history. The event stream,
which never ends by itself, is the walk's last request and ends as the app stops.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
import jsonschema
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.alerts.models import Alert
from app.books.replay_config import deployment_policy, policy_config
from app.books.simulation.replay_params import HOUR_MS, ReplayParams, policy_hash
from app.configuration.registry import DEFAULTS
from app.lab.calibration.calibrating import CalibrationParams, calibrate
from app.lab.calibration.space import SearchSpace
from app.lab.models import ReplayRun
from app.lab.replay.replaying import replay
from app.platform.core.clock import utcnow
from app.platform.core.environment import Environment
from app.platform.db.engine import create_engine
from tests.conftest import (
    ADMIN_KEY,
    READ_KEY,
    TRADE_KEY,
    TRADE_NAME,
    app_on_session,
    joined_session,
    simulator_environment,
)
from tests.factories import add, make_candles, make_symbol
from tests.replay_data import START_MS, generated_run_config, random_walks
from tests.sim_fixtures import live_clock_ms, running_simulator

API = "/api/symbol-mgmt"
READ, TRADE, ADMIN = ({"X-API-Key": key} for key in (READ_KEY, TRADE_KEY, ADMIN_KEY))
NONE: dict[str, str] = {}
UNIVERSE = 8
DAY_MS = 24 * HOUR_MS
HOUR = timedelta(hours=1)
STORED_HOURS = 50 * 24


@dataclass(frozen=True)
class Answer:
    """A response, and the status the walk asked of it."""

    expected: int
    response: httpx.Response


@dataclass
class Walk:
    """The walk's answers by operation id, and the document they are checked against."""

    client: httpx.AsyncClient
    answers: dict[str, Answer] = field(default_factory=dict)
    document: dict[str, Any] = field(default_factory=dict)

    async def send(
        self,
        operation: str,
        method: str,
        path: str,
        key: dict[str, str],
        expected: int = 200,
        *,
        prefix: str = API,
        **request: Any,
    ) -> None:
        """Send `operation`, once."""
        assert operation not in self.answers, f"{operation} sent twice"
        response = await self.client.request(method, f"{prefix}{path}", headers=key, **request)
        self.answers[operation] = Answer(expected, response)

    def body(self, operation: str) -> Any:
        """The JSON body of `operation`'s answer, which a later operation needs."""
        answer = self.answers[operation]
        response = answer.response
        assert response.status_code == answer.expected, f"{operation}: {response.text[:300]}"
        return response.json()


def finished_run(kind: str, report: dict[str, Any], hash_: str | None = None) -> ReplayRun:
    """A succeeded run of `kind` holding `report`, as the lab worker leaves one."""
    now = utcnow()
    data = report["data"]
    return ReplayRun(
        kind=kind,
        status="succeeded",
        policy_hash=hash_,
        requested_by=TRADE_NAME,
        params={"every": "24h"},
        config={},
        config_hash=report["config_hash"],
        data_from=datetime.fromisoformat(data["from"]),
        data_to=datetime.fromisoformat(data["to"]),
        progress=1.0,
        started_at=now,
        heartbeat_at=now,
        finished_at=now,
        duration_ms=1.0,
        report=report,
    )


def generated_reports() -> tuple[dict[str, Any], dict[str, Any]]:
    """A replay's report and a calibration's, of six generated contracts over 45 days."""
    history = random_walks(6, 45 * 24)
    policy = policy_config(generated_run_config(), DEFAULTS)
    window = ReplayParams(START_MS + 30 * DAY_MS, START_MS + 44 * DAY_MS, 24, random_draws=1)
    space = SearchSpace(
        grid_step=0.5,
        weighting_methods=("score",),
        margins=(5.0,),
        confirmation_hours=(0.0,),
        min_holding_hours=(24.0,),
    )
    calibration = CalibrationParams(window, 6 * 24, 3 * 24, "ic", space)
    return dict(replay(history, policy, window)), dict(calibrate(history, policy, calibration))


async def walk_every_route(walk: Walk, session: AsyncSession) -> None:
    """Each operation once, in a desk's order; what a later one needs is made just before."""
    send = walk.send
    document = (await walk.client.get("/openapi.json")).json()
    walk.document = document

    # The market: the universe synced, then scored; the service answers.
    await send("sync_symbols", "POST", "/symbols/sync", TRADE, params={"wait": 60})
    await send("calculate_scores", "POST", "/scoring/calculate", TRADE, params={"wait": 60})
    await send("get_health", "GET", "/health", NONE)
    await send("get_status", "GET", "/status", READ)
    await send("get_metrics", "GET", "/metrics", READ, prefix="")
    await send("list_symbols", "GET", "/symbols", READ, params={"limit": 5})
    await send("get_rankings", "GET", "/scoring/rankings", READ, params={"limit": 8})
    ranked = [item["symbol"] for item in walk.body("get_rankings")["items"]]
    await send("get_symbol", "GET", f"/symbols/{ranked[0]}", READ)
    await send("get_symbol_scores", "GET", f"/scoring/symbol/{ranked[0]}/scores", READ)
    await send(
        "get_scoring_run", "GET", f"/scoring/runs/{walk.body('calculate_scores')['id']}", READ
    )
    # A contract the walk never holds (the first four are added, the fifth replaces one).
    await send(
        "set_symbol_category",
        "PUT",
        f"/symbols/{ranked[5]}/category",
        ADMIN,
        json={"category": "stablecoin"},
    )

    # The scoring configuration.
    await send("list_algorithms", "GET", "/scoring/algorithms", ADMIN)
    await send("list_presets", "GET", "/scoring/algorithms/presets", ADMIN)
    preset = walk.body("list_presets")[0]["name"]
    await send(
        "update_algorithms",
        "PUT",
        "/scoring/algorithms",
        ADMIN,
        json={
            "algorithms": [{"name": "risk", "weight": 0.8}, {"name": "technical", "weight": 0.2}]
        },
    )
    await send("apply_preset", "PUT", f"/scoring/algorithms/presets/{preset}", ADMIN)
    await send("list_algorithm_changes", "GET", "/scoring/algorithms/changes", ADMIN)

    # The portfolio: three members added as set-up, the fourth by the operation itself.
    for symbol in ranked[:3]:
        added = await walk.client.post(
            f"{API}/portfolio/add-symbol", json={"symbol": symbol}, headers=TRADE
        )
        assert added.status_code == 200, added.text
    await send("add_symbol", "POST", "/portfolio/add-symbol", TRADE, json={"symbol": ranked[3]})
    await send("get_portfolio", "GET", "/portfolio", READ)
    await send("get_timeline", "GET", "/portfolio/timeline", READ)
    await send("get_history", "GET", "/portfolio/history", READ, params={"limit": 10})
    await send("get_replacement_candidates", "GET", "/portfolio/replacement-candidates", READ)
    await send("get_weights", "GET", "/portfolio/weights", READ, params={"method": "equal"})
    await send(
        "rebalance_portfolio",
        "POST",
        "/portfolio/rebalance",
        TRADE,
        json={"account_balance": 25000, "dry_run": True},
    )
    await send(
        "get_position_size",
        "GET",
        "/portfolio/position-size",
        READ,
        params={"symbol": ranked[0], "account_balance": 10000},
    )
    await send("get_correlation", "GET", "/portfolio/correlation", READ)
    await send(
        "report_performance",
        "POST",
        "/portfolio/performance",
        TRADE,
        json={"symbol": ranked[0], "pnl": 12.5, "timestamp": utcnow().isoformat()},
    )
    await send("get_portfolio_statistics", "GET", "/portfolio/statistics", READ)
    await send("get_portfolio_metrics", "GET", "/portfolio/metrics", READ)
    await send("get_pairlist", "GET", "/pairlist", READ)
    await send(
        "replace_symbol",
        "POST",
        "/portfolio/replace-symbol",
        TRADE,
        json={"old_symbol": ranked[3], "new_symbol": ranked[4], "reason": "smoke"},
    )
    await send(
        "remove_symbol", "POST", "/portfolio/remove-symbol", TRADE, json={"symbol": ranked[4]}
    )

    # Alerts: one raised as a condition would raise it, to acknowledge.
    alert = await add(
        session, Alert(kind="data_stale", fingerprint="smoke", message="no fresh prices")
    )
    await send("check_alerts", "POST", "/alerts/check", TRADE)
    await send("list_alerts", "GET", "/alerts", READ)
    await send("acknowledge_alert", "POST", f"/alerts/{alert.id}/ack", TRADE)

    # Signals.
    await send(
        "create_signal",
        "POST",
        "/signals",
        TRADE,
        201,
        json={
            "source": "smoke",
            "symbol": ranked[0],
            "signal_type": "BREAKOUT",
            "direction": "BUY",
            "strength": 0.8,
            "confidence": 0.7,
        },
    )
    await send("get_signal", "GET", f"/signals/{walk.body('create_signal')['id']}", READ)
    await send("list_pending_signals", "GET", "/signals/pending", READ)
    await send("process_signals", "POST", "/signals/process", TRADE)
    await send("list_processed_signals", "GET", "/signals/processed", READ)
    await send("get_signal_statistics", "GET", "/signals/statistics", READ)

    # Replays: one queued (and cancelled) over stored candles; a finished one's timeline. The
    # candles are enough for a walk-forward after the scorer's warm-up (the evidence's refresh).
    start = utcnow().replace(minute=0, second=0, microsecond=0) - STORED_HOURS * HOUR
    await make_candles(session, await make_symbol(session), [100.0] * STORED_HOURS, start=start)
    await send(
        "create_replay",
        "POST",
        "/replays",
        TRADE,
        202,
        json={"from": (start + 2 * HOUR).isoformat(), "to": (start + 48 * HOUR).isoformat()},
    )
    queued = walk.body("create_replay")["id"]
    await send("list_replays", "GET", "/replays", READ)
    await send("get_replay", "GET", f"/replays/{queued}", READ)
    await send("cancel_replay", "DELETE", f"/replays/{queued}", TRADE)
    replay_report, calibration_report = generated_reports()
    finished = await add(session, finished_run("replay", replay_report))
    await send("get_replay_timeline", "GET", f"/replays/{finished.id}/timeline", READ)

    # The scoring evidence: a refresh queued; the latest calibration of the policy in force.
    await send("refresh_evidence", "POST", "/scoring/evidence/refresh", ADMIN, 202)
    current = policy_hash(await deployment_policy(session, None, None))
    await add(session, finished_run("calibration", calibration_report, current))
    await send("get_scoring_evidence", "GET", "/scoring/evidence", READ)

    # Jobs: the forward record's first run, which the live evidence then shows.
    await send("list_jobs", "GET", "/jobs", READ)
    await send("run_job_now", "POST", "/jobs/forward_record/run", ADMIN, params={"wait": 60})
    await send("get_job_run", "GET", f"/jobs/runs/{walk.body('run_job_now')['id']}", READ)
    await send("list_job_runs", "GET", "/jobs/runs", READ)
    await send("get_live_track_record", "GET", "/evidence/live", READ)
    await send("get_live_challengers", "GET", "/evidence/live/challengers", READ)

    # Runtime settings.
    await send("get_config", "GET", "/config", READ)
    await send(
        "update_config", "PUT", "/config", ADMIN, json={"values": {"weighting_method": "equal"}}
    )
    await send("list_config_changes", "GET", "/config/changes", ADMIN)

    # API keys.
    await send(
        "create_api_key", "POST", "/api-keys", ADMIN, 201, json={"name": "smoke", "role": "read"}
    )
    await send("list_api_keys", "GET", "/api-keys", ADMIN)
    await send("revoke_api_key", "DELETE", f"/api-keys/{walk.body('create_api_key')['id']}", ADMIN)


@pytest.fixture(scope="module")
async def walk(
    sqlite_file_url: str, make_environment: Callable[..., Environment]
) -> AsyncIterator[Walk]:
    """The walk's answers, on SQLite in a transaction rolled back after the module."""
    engine = create_engine(make_environment(sqlite_file_url))
    try:
        async with (
            engine.connect() as connection,
            running_simulator(universe=UNIVERSE, start_time_ms=live_clock_ms()) as sim,
        ):
            transaction = await connection.begin()
            try:
                async with joined_session(connection) as session:
                    environment = simulator_environment(
                        make_environment, sqlite_file_url, sim.base_url
                    )
                    yield await walked(app_on_session(environment, session), session)
            finally:
                await transaction.rollback()
    finally:
        await engine.dispose()


async def walked(app: FastAPI, session: AsyncSession) -> Walk:
    """The walk, the app started before it and stopped after it."""
    streaming = asyncio.Event()
    transport = httpx.ASGITransport(app=watching_streams(app, streaming))
    async with httpx.AsyncClient(transport=transport, base_url="http://mysymbols.test") as client:
        walk = Walk(client)
        async with app.router.lifespan_context(app):
            await app.state.app_state.runs.swept.wait()
            await walk_every_route(walk, session)
            # The stream ends, as every open stream does, when the app stops: once it has
            # taken its starting point (it has sent its first line), the app is stopped.
            stream = asyncio.ensure_future(
                walk.send("get_events", "GET", "/events", READ, params={"since": 0})
            )
            await asyncio.wait_for(streaming.wait(), timeout=30)
        await stream
    return walk


def watching_streams(app: FastAPI, streaming: asyncio.Event) -> ASGIApp:
    """`app`, setting `streaming` when an event stream sends its first bytes (httpx's ASGI
    transport hands over a response only once it is complete)."""

    async def watched(scope: Scope, receive: Receive, send: Send) -> None:
        async def sending(message: Message) -> None:
            await send(message)
            if message["type"] == "http.response.body" and scope["path"].endswith("/events"):
                streaming.set()

        await app(scope, receive, sending)

    return watched


def documented_operations(document: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        operation["operationId"]: (f"{method.upper()} {path}", operation)
        for path, by_method in document["paths"].items()
        for method, operation in by_method.items()
    }


def wrong_answer(answer: Answer, operation: dict[str, Any], document: dict[str, Any]) -> str:
    """What is wrong with `answer` to `operation` ("" when nothing is)."""
    response = answer.response
    if response.status_code != answer.expected:
        return f"{response.status_code}, expected {answer.expected}: {response.text[:300]}"
    documented = operation["responses"].get(str(answer.expected))
    if documented is None:
        return f"{answer.expected} is not a documented answer"
    media = response.headers.get("content-type", "").split(";")[0]
    if media not in documented.get("content", {}):
        return f"{media} is not a documented media type of its {answer.expected}"
    if media == "text/event-stream":
        return wrong_stream(response.text)
    schema = documented["content"][media].get("schema")
    body = response.json() if media == "application/json" else response.text
    validator = jsonschema.Draft202012Validator(
        {**schema, "components": document["components"]},
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    return "; ".join(f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors[:3])


def wrong_stream(text: str) -> str:
    """What is wrong with an event stream that ended as the app stopped ("" when nothing is):
    the retry hint, the outbox's events in order, each a JSON object, then the final error."""
    blocks = [dict(line.split(": ", 1) for line in b.splitlines()) for b in text.split("\n\n") if b]
    if not blocks or "retry" not in blocks[0]:
        return f"no retry hint first: {text[:200]}"
    events, end = blocks[1:-1], blocks[-1]
    ids = [int(event["id"]) for event in events]
    if not ids or ids != sorted(ids) or not all(json.loads(e["data"]) for e in events):
        return f"not the outbox's events in order: {text[:500]}"
    if end.get("event") != "error" or not json.loads(end["data"])["type"].endswith("shutting-down"):
        return f"not ended by the app's stop: {end}"
    return ""


class TestEveryRoute:
    def test_every_operation_is_sent_once(self, walk: Walk) -> None:
        assert sorted(walk.answers) == sorted(documented_operations(walk.document))

    def test_each_answers_its_success_with_a_body_its_schema_accepts(self, walk: Walk) -> None:
        operations = documented_operations(walk.document)
        wrong = {
            f"{operations[name][0]} ({name})": problem
            for name, answer in walk.answers.items()
            if (problem := wrong_answer(answer, operations[name][1], walk.document))
        }
        assert wrong == {}
