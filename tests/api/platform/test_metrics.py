"""`GET /metrics`: Prometheus text whose families move with what the service does."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app import __version__
from app.main import create_app
from app.market.jobs import UNIVERSE_SYNC
from app.platform.core.environment import Environment
from app.platform.core.log import ContextFilter, json_formatter
from app.platform.db.engine import create_engine, create_sessionmaker
from app.platform.http.cache_keys import request_key
from app.portfolio.models import PortfolioHistory
from app.records.keeping.as_run import STRATEGIES
from app.records.models import (
    ForwardHour,
    ForwardRecord,
    TrackRecord,
    TrackRecordDecision,
    TrackRecordHour,
)
from tests.conftest import ADMIN_KEY, READ_KEY, app_on_session, simulator_environment, start_app
from tests.factories import make_member, make_symbol
from tests.integration.committed import committed_postgres, committed_sqlite  # noqa: F401
from tests.kucoin_sim.app import KucoinSimulator
from tests.prometheus import sample

API = "/api/symbol-mgmt"
READER = {"X-API-Key": READ_KEY}
ADMIN = {"X-API-Key": ADMIN_KEY}


async def scrape(client: httpx.AsyncClient) -> str:
    response = await client.get("/metrics", headers=READER)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return response.text


@pytest.fixture
async def open_client(
    database_url: str, make_environment: Callable[..., Environment], session: AsyncSession
) -> AsyncIterator[httpx.AsyncClient]:
    """The app with MYSYMBOLS_METRICS__ACCESS=open (and a response cache switched on)."""
    environment = make_environment(
        database_url, metrics={"access": "open"}, reads={"cache_ttl_s": 60}
    )
    async for client in start_app(app_on_session(environment, session)):
        yield client


class TestHttpFamilies:
    async def test_a_request_increments_its_route_counter_and_histogram(
        self, client: httpx.AsyncClient
    ) -> None:
        labels = {"method": "GET", "route": f"{API}/health", "status": "200"}
        before = await scrape(client)
        assert (await client.get(f"{API}/health")).status_code == 200
        after = await scrape(client)
        counted = sample(after, "mysymbols_http_requests_total", **labels)
        assert counted == (sample(before, "mysymbols_http_requests_total", **labels) or 0) + 1
        timed = {"method": "GET", "route": f"{API}/health"}
        assert (
            sample(after, "mysymbols_http_request_duration_seconds_count", **timed)
            == (sample(before, "mysymbols_http_request_duration_seconds_count", **timed) or 0) + 1
        )

    async def test_routes_are_labelled_by_template_not_by_path(
        self, client: httpx.AsyncClient
    ) -> None:
        labels = {"method": "GET", "route": f"{API}/symbols/{{symbol}}", "status": "404"}
        before = sample(await scrape(client), "mysymbols_http_requests_total", **labels) or 0
        for symbol in ("NOPEUSDT", "ZZZUSDT"):
            assert (await client.get(f"{API}/symbols/{symbol}", headers=READER)).status_code == 404
        text = await scrape(client)
        assert sample(text, "mysymbols_http_requests_total", **labels) == before + 2
        assert "NOPEUSDT" not in text and "ZZZUSDT" not in text

    async def test_paths_no_route_matches_share_one_label(self, client: httpx.AsyncClient) -> None:
        labels = {"method": "GET", "route": "unmatched", "status": "404"}
        before = sample(await scrape(client), "mysymbols_http_requests_total", **labels) or 0
        assert (await client.get("/no/such/path/42")).status_code == 404
        text = await scrape(client)
        assert sample(text, "mysymbols_http_requests_total", **labels) == before + 1
        assert "/no/such/path" not in text

    async def test_a_method_outside_the_standard_ones_is_labelled_other(
        self, client: httpx.AsyncClient
    ) -> None:
        counter = "mysymbols_http_requests_total"
        labels = {"method": "other", "route": f"{API}/health", "status": "405"}
        before = sample(await scrape(client), counter, **labels) or 0
        for method in ("PROPFIND", "BREW", "X-SCAN-4711"):
            assert (await client.request(method, f"{API}/health")).status_code == 405
        text = await scrape(client)
        assert sample(text, counter, **labels) == before + 3
        assert not any(m in text for m in ("PROPFIND", "BREW", "X-SCAN-4711"))
        # A standard method keeps its name (the first scrape's GET).
        assert sample(text, counter, method="GET", route="/metrics", status="200")


class TestStateFamilies:
    async def test_process_memory_and_cpu_are_exported(self, client: httpx.AsyncClient) -> None:
        text = await scrape(client)
        assert (sample(text, "process_resident_memory_bytes") or 0) > 0
        assert sample(text, "process_cpu_seconds_total") is not None

    async def test_database_gauges_are_read_at_scrape_time(self, client: httpx.AsyncClient) -> None:
        text = await scrape(client)
        assert sample(text, "mysymbols_metrics_database_up") == 1
        members = sample(text, "mysymbols_portfolio_members")
        assert members is not None and members >= 0
        assert sample(text, "mysymbols_portfolio_weight_sum_percent") in (0.0, 100.0)
        assert sample(text, "mysymbols_kucoin_breaker_state", state="closed") == 1
        assert sample(text, "mysymbols_kucoin_breaker_state", state="open") == 0

    async def test_count_the_members_against_their_target_and_the_untradable_ones(
        self, committed: str, make_environment: Callable[..., Environment]
    ) -> None:
        engine = create_engine(make_environment(committed))
        try:
            async with create_sessionmaker(engine)() as session:
                await make_member(session, 1, weight=40)
                await make_member(
                    session, 2, weight=30, symbol=await make_symbol(session, status="Paused")
                )
                await make_member(
                    session,
                    3,
                    weight=30,
                    symbol=await make_symbol(session, delisted_at=datetime.now(UTC)),
                )
                await session.commit()
        finally:
            await engine.dispose()
        environment = make_environment(committed, metrics={"access": "open"})
        async for client in start_app(create_app(environment)):
            text = (await client.get("/metrics")).text
        assert sample(text, "mysymbols_portfolio_members") == 3
        assert sample(text, "mysymbols_portfolio_target_members") == 10  # the seeded default
        assert sample(text, "mysymbols_portfolio_untradable_members") == 2
        assert sample(text, "mysymbols_portfolio_weight_sum_percent") == 100

    async def test_the_response_cache_bytes_are_exported(
        self, open_client: httpx.AsyncClient
    ) -> None:
        first = await open_client.get(f"{API}/pairlist", headers=READER)
        assert first.status_code == 200
        for _ in range(500):  # PostgreSQL: the cache serves once its listener is connected
            again = await open_client.get(f"{API}/pairlist", headers=READER)
            if again.headers.get("x-cache") == "hit":
                break
            await asyncio.sleep(0.01)
        assert again.headers.get("x-cache") == "hit"
        text = await scrape(open_client)
        headers = [(b"accept", again.request.headers["accept"].encode())]
        key = request_key({"path": f"{API}/pairlist", "query_string": b"", "headers": headers})
        kept = len(again.content) + len(key)  # the answer's body and its key
        assert sample(text, "mysymbols_response_cache_bytes") == kept
        assert sample(text, "mysymbols_response_cache_entries") == 1

    async def test_a_scrape_answers_without_the_database(
        self, make_environment: Callable[..., Environment]
    ) -> None:
        environment = make_environment(
            "postgresql+asyncpg://postgres@127.0.0.1:9/nowhere",
            metrics={"access": "open"},
            database={"connect_timeout_s": 0.5},
        )
        async for client in start_app(create_app(environment)):
            response = await client.get("/metrics")
            assert response.status_code == 200
            assert sample(response.text, "mysymbols_metrics_database_up") == 0
            assert sample(response.text, "mysymbols_portfolio_members") is None
            assert sample(response.text, "process_resident_memory_bytes") is not None


HOUR = timedelta(hours=1)
# Each book's equity at the three hours marked (1.0 at inception, before any trade).
EQUITY = {name: (1.0, 1.0 + 0.01 * k, 1.0 + 0.02 * k - 0.015) for k, name in enumerate(STRATEGIES)}


@pytest.fixture(params=["postgres", "sqlite"])
def committed(request: pytest.FixtureRequest) -> str:
    """A database of its own: the scrape reads on a connection of its own, so it sees only
    what was committed."""
    return str(request.getfixturevalue(f"committed_{request.param}"))


async def seed_track_record(
    url: str, make_environment: Callable[..., Environment], marked_to: datetime
) -> None:
    """A record of three hours ending at `marked_to`, one decision at inception, committed."""
    engine = create_engine(make_environment(url))
    inception = marked_to - 2 * HOUR
    try:
        async with create_sessionmaker(engine)() as session:
            session.add(
                TrackRecord(
                    id=1,
                    inception_at=inception,
                    last_hour=marked_to,
                    last_audit_id=1,
                    state={},
                    updated_at=marked_to + timedelta(minutes=3),
                )
            )
            session.add_all(
                TrackRecordHour(strategy=name, at=inception + k * HOUR, equity=value)
                for name, curve in EQUITY.items()
                for k, value in enumerate(curve)
            )
            session.add(
                TrackRecordDecision(
                    at=inception,
                    audit_id=1,
                    actor="admin",
                    reason="add",
                    config_hash="c" * 64,
                    fee_bps=6.0,
                    slippage_bps=0.0,
                    weights={"XBTUSDTM": 1.0},
                    turnover=dict.fromkeys(STRATEGIES, 1.0),
                    fees=dict.fromkeys(STRATEGIES, 6e-4),
                )
            )
            await session.commit()
    finally:
        await engine.dispose()


class TestTrackRecordFamilies:
    async def test_are_left_out_before_the_record_starts(self, client: httpx.AsyncClient) -> None:
        text = await scrape(client)
        assert sample(text, "mysymbols_metrics_database_up") == 1
        assert "mysymbols_track_record_return" not in text
        assert "mysymbols_track_record_age_seconds" not in text

    async def test_exist_from_the_first_decision_aged_from_inception(
        self, committed: str, make_environment: Callable[..., Environment]
    ) -> None:
        first = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - 3 * HOUR
        engine = create_engine(make_environment(committed))
        try:
            async with create_sessionmaker(engine)() as session:
                session.add(
                    PortfolioHistory(
                        occurred_at=first - timedelta(minutes=20),
                        action="add",
                        symbol="BTCUSDT",
                        actor="admin",
                        reason="first",
                        details={},
                    )
                )
                await session.commit()
        finally:
            await engine.dispose()
        environment = make_environment(committed, metrics={"access": "open"})
        async for client in start_app(create_app(environment)):
            before = datetime.now(UTC)
            text = (await client.get("/metrics")).text
            after = datetime.now(UTC)
        # Not marked yet: the as-run book is 1.0 at inception, the age counts from that hour.
        assert sample(text, "mysymbols_track_record_return", strategy="as_run") == 0.0
        age = sample(text, "mysymbols_track_record_age_seconds")
        assert age is not None
        assert (before - first).total_seconds() <= age <= (after - first).total_seconds()

    async def test_give_each_books_return_since_inception_and_the_records_age(
        self, committed: str, make_environment: Callable[..., Environment]
    ) -> None:
        marked_to = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - 2 * HOUR
        await seed_track_record(committed, make_environment, marked_to)
        environment = make_environment(committed, metrics={"access": "open"})
        async for client in start_app(create_app(environment)):
            before = datetime.now(UTC)
            text = (await client.get("/metrics")).text
            after = datetime.now(UTC)
            live = await client.get(f"{API}/evidence/live", headers=READER)
        assert live.status_code == 200, live.text
        figures = live.json()["as_run"]["windows"]["since_inception"]["books"]
        for name, curve in EQUITY.items():
            value = sample(text, "mysymbols_track_record_return", strategy=name)
            assert value == pytest.approx(curve[-1] - 1.0, abs=1e-12)
            assert value == pytest.approx(figures[name]["total_return"], abs=1e-9)
        age = sample(text, "mysymbols_track_record_age_seconds")
        assert age is not None
        assert (before - marked_to).total_seconds() <= age <= (after - marked_to).total_seconds()


class TestAccess:
    async def test_read_access_needs_a_key(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/metrics")
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == "urn:mysymbols:problem:unauthenticated"
        wrong = await client.get("/metrics", headers={"X-API-Key": "not-a-key-0123456789"})
        assert wrong.status_code == 401
        assert (await client.get("/metrics", headers=ADMIN)).status_code == 200
        bearer = {"Authorization": f"Bearer {READ_KEY}"}  # as Prometheus sends a credential
        assert (await client.get("/metrics", headers=bearer)).status_code == 200

    async def test_open_access_needs_none_and_documents_none(
        self, open_client: httpx.AsyncClient
    ) -> None:
        response = await open_client.get("/metrics")
        assert response.status_code == 200
        assert sample(response.text, "mysymbols_build_info", version=__version__) == 1
        operation = (await open_client.get("/openapi.json")).json()["paths"]["/metrics"]["get"]
        assert "security" not in operation
        assert "text/plain" in operation["responses"]["200"]["content"]

    async def test_read_access_is_documented_as_text_with_its_errors(
        self, client: httpx.AsyncClient
    ) -> None:
        operation = (await client.get("/openapi.json")).json()["paths"]["/metrics"]["get"]
        assert operation["security"]
        assert set(operation["responses"]) >= {"200", "401", "403"}
        assert list(operation["responses"]["200"]["content"]) == ["text/plain"]

    async def test_is_never_a_cached_read(self, open_client: httpx.AsyncClient) -> None:
        labels = {"method": "GET", "route": "/metrics", "status": "200"}
        first = await open_client.get("/metrics")
        second = await open_client.get("/metrics")
        assert "etag" not in second.headers and "x-cache" not in second.headers
        assert (
            sample(second.text, "mysymbols_http_requests_total", **labels)
            == (sample(first.text, "mysymbols_http_requests_total", **labels) or 0) + 1
        )


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Every line logged while the test runs (requests, jobs, the rest), as JSON."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


class TestRequestLog:
    async def test_each_request_is_one_json_line_with_its_request_id_route_status_and_duration(
        self, client: httpx.AsyncClient, log_lines: io.StringIO
    ) -> None:
        response = await client.get(
            f"{API}/symbols/NOPEUSDT", headers={**READER, "X-Request-ID": "trace-17"}
        )
        assert response.status_code == 404
        [line] = [x for x in lines(log_lines) if x["logger"] == "app.access"]
        assert line["request_id"] == "trace-17" == response.headers["x-request-id"]
        assert line["route"] == f"{API}/symbols/{{symbol}}"
        assert line["method"] == "GET"
        assert line["status"] == 404
        assert line["duration_ms"] >= 0
        assert line["level"] == "INFO"
        assert {"time", "message"} <= set(line)

    async def test_probes_and_the_scrape_are_logged_at_debug_and_nothing_else(
        self, client: httpx.AsyncClient, log_lines: io.StringIO
    ) -> None:
        access = logging.getLogger("app.access")
        level = access.level
        access.setLevel(logging.DEBUG)
        try:
            for path in (f"{API}/health", f"{API}/status", "/metrics", f"{API}/portfolio/metrics"):
                await client.get(path, headers=READER)
        finally:
            access.setLevel(level)
        logged = {x["route"]: x["level"] for x in lines(log_lines) if x["logger"] == "app.access"}
        assert logged == {
            f"{API}/health": "DEBUG",
            f"{API}/status": "DEBUG",
            "/metrics": "DEBUG",
            # Ends in `/metrics`, but a read like any other.
            f"{API}/portfolio/metrics": "INFO",
        }

    async def test_lines_logged_while_answering_carry_the_request_id(
        self, make_environment: Callable[..., Environment], log_lines: io.StringIO
    ) -> None:
        # The readiness check warns that the database is down, while answering the request.
        environment = make_environment(
            "postgresql+asyncpg://postgres@127.0.0.1:9/nowhere",
            database={"connect_timeout_s": 0.5},
        )
        async for client in start_app(create_app(environment)):
            response = await client.get(f"{API}/status", headers={"X-Request-ID": "down-1"})
        assert response.status_code == 503
        warned = [x for x in lines(log_lines) if x["logger"] == "app.operations.service"]
        assert warned and all(x["request_id"] == "down-1" for x in warned)


class TestExchangeAndJobFamilies:
    async def test_a_sync_moves_the_job_and_kucoin_families(
        self,
        sim: KucoinSimulator,
        database_url: str,
        make_environment: Callable[..., Environment],
        session: AsyncSession,
    ) -> None:
        environment = simulator_environment(make_environment, database_url, sim.base_url)
        job = {"job": "universe_sync", "status": "succeeded"}
        endpoint = {"endpoint": "/api/v1/contracts/active", "outcome": "ok"}
        async for client in start_app(app_on_session(environment, session)):
            before = await scrape(client)
            sync = await client.post(f"{API}/symbols/sync?wait=30", headers=ADMIN)
            assert sync.status_code == 200
            after = await scrape(client)
        for name, labels in (
            ("mysymbols_job_runs_total", job),
            ("mysymbols_job_run_duration_seconds_count", job),
            ("mysymbols_kucoin_requests_total", endpoint),
        ):
            assert (sample(after, name, **labels) or 0) == (sample(before, name, **labels) or 0) + 1
        assert (sample(after, "mysymbols_job_last_end_timestamp_seconds", **job) or 0) > 0

    async def test_a_degraded_run_counts_with_its_status_and_the_breaker_shows_open(
        self,
        sim: KucoinSimulator,
        database_url: str,
        make_environment: Callable[..., Environment],
        session: AsyncSession,
    ) -> None:
        environment = make_environment(
            database_url,
            kucoin={
                "futures_url": sim.base_url,
                "websocket_enabled": False,
                "max_attempts": 1,
                "breaker_failure_threshold": 1,
            },
        )
        sim.faults.set("http_500", status=500)
        degraded = {"job": "universe_sync", "status": "degraded"}  # KuCoin kept it from its purpose
        unavailable = {"endpoint": "/api/v1/contracts/active", "outcome": "unavailable"}
        async for client in start_app(app_on_session(environment, session)):
            before = await scrape(client)
            sync = await client.post(f"{API}/symbols/sync?wait=30", headers=ADMIN)
            assert sync.status_code == 503
            after = await scrape(client)
        assert (
            sample(after, "mysymbols_job_runs_total", **degraded)
            == (sample(before, "mysymbols_job_runs_total", **degraded) or 0) + 1
        )
        assert (
            sample(after, "mysymbols_kucoin_requests_total", **unavailable)
            == (sample(before, "mysymbols_kucoin_requests_total", **unavailable) or 0) + 1
        )
        assert sample(after, "mysymbols_kucoin_breaker_state", state="open") == 1
        assert sample(after, "mysymbols_kucoin_breaker_opened_total") == 1


class TestJobLog:
    async def test_a_scheduled_run_logs_with_its_job_run_and_tick(
        self,
        sim: KucoinSimulator,
        database_url: str,
        make_environment: Callable[..., Environment],
        session: AsyncSession,
        log_lines: io.StringIO,
    ) -> None:
        environment = simulator_environment(make_environment, database_url, sim.base_url)
        app = app_on_session(environment, session)
        tick = datetime(2026, 1, 2, 3, 0, tzinfo=UTC)
        async for _ in start_app(app):
            assert await app.state.app_state.jobs.run_tick(UNIVERSE_SYNC, tick) == "ran"
        synced = [x for x in lines(log_lines) if x["logger"] == "app.market.service"]
        assert synced, "the sync logs what it did"
        for line in synced:
            assert line["job"] == "universe_sync"
            assert line["tick"] == "2026-01-02T03:00:00+00:00"
            assert isinstance(line["run_id"], int)
            assert "request_id" not in line  # no request started it


class TestForwardRecordFamilies:
    async def test_exist_from_the_records_start_then_give_each_books_return(
        self, committed: str, make_environment: Callable[..., Environment]
    ) -> None:
        now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        inception, marked_to = now - 5 * HOUR, now - 2 * HOUR
        environment = make_environment(committed, metrics={"access": "open"})
        engine = create_engine(make_environment(committed))
        try:
            async with create_sessionmaker(engine)() as session:
                session.add(
                    ForwardRecord(
                        id=1, inception_at=inception, last_hour=inception - HOUR, state={}
                    )
                )
                await session.commit()
            async for client in start_app(create_app(environment)):
                before = datetime.now(UTC)
                text = (await client.get("/metrics")).text
                after = datetime.now(UTC)
            assert sample(text, "mysymbols_forward_record_return", book="policy") is None
            age = sample(text, "mysymbols_forward_record_age_seconds")
            assert age is not None  # from the inception on, portfolio or not
            elapsed = [(moment - inception).total_seconds() for moment in (before, after)]
            assert elapsed[0] <= age <= elapsed[1]

            async with create_sessionmaker(engine)() as session:
                record = await session.get(ForwardRecord, 1)
                assert record is not None
                record.last_hour = marked_to
                session.add_all(
                    [
                        ForwardHour(book="policy", at=marked_to, equity=1.25),
                        ForwardHour(book="challenger:A", at=marked_to, equity=0.9),
                        ForwardHour(book="policy", at=marked_to - HOUR, equity=1.1),
                    ]
                )
                await session.commit()
            async for client in start_app(create_app(environment)):
                text = (await client.get("/metrics")).text
        finally:
            await engine.dispose()
        assert sample(text, "mysymbols_forward_record_return", book="policy") == pytest.approx(0.25)
        assert sample(
            text, "mysymbols_forward_record_return", book="challenger:A"
        ) == pytest.approx(-0.1)
        age = sample(text, "mysymbols_forward_record_age_seconds")
        assert age is not None and age >= (after - marked_to).total_seconds() - 60  # now moved
