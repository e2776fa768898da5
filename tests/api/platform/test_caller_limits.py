"""Per-caller limits over HTTP: a flooding key gets 429 problem+json with `Retry-After` while
another key is served; callers without a valid key are limited by address; heavy analytics
reads spend a bucket of their own; a stored key this replica has never seen is served from an
address an anonymous flood has spent; an unknown query parameter is a 422 on every API route."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.core.environment import Environment
from tests.api.callers.test_api_keys import KEYS_URL as KEYS
from tests.api.callers.test_api_keys import create_key
from tests.conftest import ADMIN_KEY, READ_KEY, TRADE_KEY, app_on_session
from tests.helpers import assert_problem

API = "/api/symbol-mgmt"
READER, TRADER = {"X-API-Key": READ_KEY}, {"X-API-Key": TRADE_KEY}
ADMIN = {"X-API-Key": ADMIN_KEY}
SLOW = 0.01  # tokens a second: nothing refills while a test runs


def limited_app(
    database_url: str,
    make_environment: Callable[..., Environment],
    session: AsyncSession,
    **limits: Any,
) -> FastAPI:
    environment = make_environment(database_url, limits=limits, auth={"open_reads": True})
    return app_on_session(environment, session)


@asynccontextmanager
async def clients(app: FastAPI, *addresses: str) -> AsyncIterator[list[httpx.AsyncClient]]:
    """One client per client address, all on `app` (its lifespan run once)."""
    async with app.router.lifespan_context(app):
        opened = [
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app, client=(address, 40000)),
                base_url="http://mysymbols.test",
            )
            for address in addresses
        ]
        try:
            yield opened
        finally:
            for client in opened:
                await client.aclose()


class TestReadsAndWrites:
    async def test_a_flooding_key_gets_429_while_another_key_is_served(
        self, database_url: str, make_environment: Callable[..., Environment], session: AsyncSession
    ) -> None:
        app = limited_app(database_url, make_environment, session, read_burst=5, read_per_s=SLOW)
        async with clients(app, "10.0.0.1") as (api,):
            served = [
                (await api.get(f"{API}/portfolio", headers=READER)).status_code for _ in range(5)
            ]
            refused = await api.get(f"{API}/portfolio", headers=READER)
            other = await api.get(f"{API}/portfolio", headers=TRADER)
        assert served == [200] * 5
        problem = assert_problem(refused, 429, "rate-limited")
        assert problem["limit"] == "read"
        # One token at 0.01 a second comes back in 100 s.
        assert refused.headers["retry-after"] == "100"
        assert other.status_code == 200

    async def test_writes_have_a_bucket_of_their_own(
        self, database_url: str, make_environment: Callable[..., Environment], session: AsyncSession
    ) -> None:
        app = limited_app(
            database_url,
            make_environment,
            session,
            read_burst=1,
            read_per_s=SLOW,
            write_burst=2,
            write_per_s=SLOW,
        )
        remove = f"{API}/portfolio/remove-symbol"
        async with clients(app, "10.0.0.1") as (api,):
            assert (await api.get(f"{API}/portfolio", headers=TRADER)).status_code == 200
            assert (await api.get(f"{API}/portfolio", headers=TRADER)).status_code == 429
            writes = [
                await api.post(remove, json={"symbol": "NOPEUSDT"}, headers=TRADER)
                for _ in range(3)
            ]
        assert [w.status_code for w in writes[:2]] == [404, 404]  # not a member: the route ran
        assert assert_problem(writes[2], 429, "rate-limited")["limit"] == "write"

    async def test_the_probes_are_never_limited(
        self, database_url: str, make_environment: Callable[..., Environment], session: AsyncSession
    ) -> None:
        app = limited_app(database_url, make_environment, session, read_burst=1, read_per_s=SLOW)
        async with clients(app, "10.0.0.1") as (api,):
            health = [(await api.get(f"{API}/health")).status_code for _ in range(5)]
            status = [(await api.get(f"{API}/status")).status_code for _ in range(5)]
        assert health == [200] * 5 and status == [200] * 5


class TestAnonymousCallers:
    async def test_each_address_has_its_own_bucket(
        self, database_url: str, make_environment: Callable[..., Environment], session: AsyncSession
    ) -> None:
        app = limited_app(database_url, make_environment, session, read_burst=3, read_per_s=SLOW)
        async with clients(app, "10.0.0.1", "10.0.0.2") as (first, second):
            flood = [(await first.get(f"{API}/portfolio")).status_code for _ in range(4)]
            neighbour = await second.get(f"{API}/portfolio")
        assert flood == [200, 200, 200, 429]
        assert neighbour.status_code == 200

    async def test_made_up_keys_share_their_address_bucket(
        self, database_url: str, make_environment: Callable[..., Environment], session: AsyncSession
    ) -> None:
        app = limited_app(database_url, make_environment, session, read_burst=3, read_per_s=SLOW)
        async with clients(app, "10.0.0.1") as (api,):
            statuses = [
                (
                    await api.get(f"{API}/portfolio", headers={"X-API-Key": f"made-up-{n:020}"})
                ).status_code
                for n in range(4)
            ]
            valid = await api.get(f"{API}/portfolio", headers=READER)
        assert statuses == [401, 401, 401, 429]  # a new key each time buys no new bucket
        assert valid.status_code == 200  # a valid key is itself, not its address


class TestStoredKeysOnAFreshReplica:
    async def test_a_stored_key_is_served_from_an_address_an_anonymous_flood_spent(
        self, database_url: str, make_environment: Callable[..., Environment], session: AsyncSession
    ) -> None:
        app = limited_app(database_url, make_environment, session, read_burst=3, read_per_s=SLOW)
        async with clients(app, "10.0.0.1", "10.0.0.9") as (api, admin):
            stored = await create_key(admin, "desk", "read")
            revoked = await create_key(admin, "gone", "read")
            deleted = await admin.delete(f"{KEYS}/{revoked['id']}", headers=ADMIN)
            assert deleted.status_code == 200
            flood = [(await api.get(f"{API}/portfolio")).status_code for _ in range(4)]
            desk = {"X-API-Key": str(stored["key"])}
            first = await api.get(f"{API}/portfolio", headers=desk)
            after = [
                (await api.get(f"{API}/portfolio", headers=desk)).status_code for _ in range(2)
            ]
            made_up = await api.get(
                f"{API}/portfolio", headers={"X-API-Key": "msk_0badc0de_" + "x" * 43}
            )
            gone = await api.get(f"{API}/portfolio", headers={"X-API-Key": str(revoked["key"])})
            anonymous = await api.get(f"{API}/portfolio")
        assert flood == [200, 200, 200, 429]
        assert first.status_code == 200  # looked up, then limited in a bucket of its own
        assert after == [200, 200]
        assert assert_problem(made_up, 429, "rate-limited")["limit"] == "read"
        assert assert_problem(gone, 429, "rate-limited")["limit"] == "read"
        assert anonymous.status_code == 429  # the address bucket stays spent


class TestHeavyReads:
    async def test_heavy_reads_spend_their_own_bucket(
        self, database_url: str, make_environment: Callable[..., Environment], session: AsyncSession
    ) -> None:
        app = limited_app(database_url, make_environment, session, heavy_burst=3, heavy_per_s=SLOW)
        async with clients(app, "10.0.0.1") as (api,):
            heavy = [
                await api.get(f"{API}{path}", headers=READER)
                for path in (
                    "/portfolio/correlation",
                    "/portfolio/metrics",
                    "/portfolio/weights?method=hrp",
                    "/portfolio/weights?method=risk_parity",
                )
            ]
            light = await api.get(f"{API}/portfolio/weights?method=equal", headers=READER)
            plain = await api.get(f"{API}/portfolio/statistics", headers=READER)
            other_key = await api.get(f"{API}/portfolio/correlation", headers=TRADER)
        assert [r.status_code for r in heavy[:3]] == [200, 200, 200]
        problem = assert_problem(heavy[3], 429, "rate-limited")
        assert problem["limit"] == "heavy" and heavy[3].headers["retry-after"] == "100"
        assert light.status_code == 200 and plain.status_code == 200
        assert other_key.status_code == 200

    async def test_the_timelines_are_heavy_reads(
        self, database_url: str, make_environment: Callable[..., Environment], session: AsyncSession
    ) -> None:
        app = limited_app(database_url, make_environment, session, heavy_burst=2, heavy_per_s=SLOW)
        timeline = f"{API}/portfolio/timeline"
        async with clients(app, "10.0.0.1") as (api,):
            answers = [
                await api.get(timeline, params={"from": f"2026-0{month}-01T00:00:00Z"})
                for month in (1, 2, 3)
            ]
            replays = [await api.get(f"{API}/replays/1/timeline", headers=TRADER) for _ in range(3)]
        assert [a.status_code for a in answers[:2]] == [200, 200]
        assert assert_problem(answers[2], 429, "rate-limited")["limit"] == "heavy"
        assert [r.status_code for r in replays[:2]] == [404, 404]  # the route ran
        assert assert_problem(replays[2], 429, "rate-limited")["limit"] == "heavy"


class TestUnknownQueryParameters:
    async def test_a_cache_buster_is_422_and_the_declared_ones_in_any_order_are_served(
        self, client: httpx.AsyncClient
    ) -> None:
        busted = await client.get(f"{API}/portfolio/correlation?window=720&_=1", headers=READER)
        problem = assert_problem(busted, 422, "validation-error")
        assert problem["errors"] == [
            {
                "field": "_",
                "location": "query",
                "code": "extra_forbidden",
                "message": "unknown query parameter (this route takes: window)",
            }
        ]
        history = f"{API}/portfolio/history"
        first = await client.get(f"{history}?limit=5&symbol=BTCUSDT", headers=READER)
        swapped = await client.get(f"{history}?symbol=BTCUSDT&limit=5", headers=READER)
        assert first.status_code == swapped.status_code == 200

    async def test_a_single_valued_parameter_sent_twice_is_422(
        self, client: httpx.AsyncClient
    ) -> None:
        """FastAPI reads the last of them: `?wait=true&wait=5` would pass as `wait=5`."""
        sync = await client.post(f"{API}/symbols/sync?wait=true&wait=5", headers=ADMIN)
        problem = assert_problem(sync, 422, "validation-error")
        assert [(e["field"], e["message"]) for e in problem["errors"]] == [
            ("wait", "sent more than once")
        ]
        runs = await client.get(f"{API}/jobs/runs", headers=ADMIN)
        assert runs.status_code == 200 and runs.json() == []  # nothing was started
        twice = await client.get(
            f"{API}/portfolio/correlation?window=720&window=24", headers=READER
        )
        assert_problem(twice, 422, "validation-error")

    async def test_every_api_operation_refuses_an_unknown_query_parameter(
        self, client: httpx.AsyncClient
    ) -> None:
        document = (await client.get("/openapi.json")).json()
        answers = {}
        for path, operations in document["paths"].items():
            if not path.startswith(API):
                continue
            for method in operations:
                response = await client.request(
                    method.upper(), _concrete(path), params={"_": "1"}, headers=ADMIN
                )
                answers[f"{method.upper()} {path}"] = response
        assert len(answers) > 40
        wrong = {
            name: response.status_code
            for name, response in answers.items()
            if response.status_code != 422 or response.json()["errors"][0]["field"] != "_"
        }
        assert wrong == {}


def _concrete(template: str) -> str:
    """A template path with each `{parameter}` filled with a value of its kind."""
    parts = []
    for part in template.split("/"):
        if part.startswith("{"):
            name = part.strip("{}")
            part = "BTCUSDT" if name in ("symbol", "old_symbol") else "1"
        parts.append(part)
    return "/".join(parts)
