"""The response cache of read answers: ETags and 304, invalidation by this replica's commits at
once and by another replica's through PostgreSQL's notifications, the time limit, and keys: a
stored key is served from the cache only while it is valid, a role only what it may read; after
a commit, a heavy read's answer served stale (with its age) while it is recomputed in the
background; a large answer gzipped for the callers that ask."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from app.main import create_app
from app.platform.core.environment import Environment
from tests.conftest import ADMIN_KEY, READ_KEY, TRADE_KEY, start_app
from tests.helpers import assert_problem
from tests.integration.committed import BASE, TRADE, prepared
from tests.kucoin_sim.app import KucoinSimulator

READ = {"X-API-Key": READ_KEY}
ADMIN = {"X-API-Key": ADMIN_KEY}
RANKINGS = f"{BASE}/scoring/rankings"
WEIGHTS = f"{BASE}/portfolio/weights"


@asynccontextmanager
async def replica(
    url: str,
    sim: KucoinSimulator,
    make_environment: Callable[..., Environment],
    ttl_s: float = 30.0,
) -> AsyncIterator[tuple[httpx.AsyncClient, FastAPI]]:
    """An app on `url` whose cached answers live `ttl_s` (long: commits must drop them)."""
    environment = make_environment(
        url,
        kucoin={"futures_url": sim.base_url, "websocket_enabled": False},
        reads={"cache_ttl_s": ttl_s},
    )
    app = create_app(environment)
    clients = start_app(app)
    client = await clients.__anext__()
    try:
        cache = app.state.app_state.response_cache
        for _ in range(500):  # PostgreSQL: the listener connects in the background
            if cache.active:
                break
            await asyncio.sleep(0.01)
        assert cache.active
        yield client, app
    finally:
        await clients.aclose()


async def eventually_changes(api: httpx.AsyncClient, url: str, etag: str) -> httpx.Response:
    for _ in range(500):
        response = await api.get(url, headers=READ)
        if response.headers["etag"] != etag:
            return response
        await asyncio.sleep(0.01)
    raise AssertionError(f"{url} still answers {etag}")


async def eventually_hits(api: httpx.AsyncClient, url: str, headers: dict[str, str]) -> None:
    """`url` is served from the cache. On PostgreSQL the notification of a commit of this
    replica's own (a key's first use, say) comes back a moment after the commit dropped the
    cache at once; arriving after the next read filled it, it drops that answer too."""
    for _ in range(500):
        response = await api.get(url, headers=headers)
        assert response.status_code == 200
        if response.headers.get("x-cache") == "hit":
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{url} is never served from the cache")


@pytest.fixture(params=["postgres", "sqlite"])
def database(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"committed_{request.param}"))


async def test_an_etag_gets_304_and_a_new_run_a_new_answer(
    database: str, live_sim: KucoinSimulator, make_environment: Callable[..., Environment]
) -> None:
    _, writer_clients, _ = await prepared(database, live_sim, make_environment)
    await writer_clients.aclose()
    async with replica(database, live_sim, make_environment) as (api, _):
        first = await api.get(RANKINGS, params={"limit": 5}, headers=READ)
        assert first.status_code == 200 and "x-cache" not in first.headers
        etag = first.headers["etag"]
        again = await api.get(RANKINGS, params={"limit": 5}, headers=READ)
        assert again.headers["x-cache"] == "hit" and again.content == first.content
        assert again.headers["etag"] == etag
        unchanged = await api.get(
            RANKINGS, params={"limit": 5}, headers={**READ, "If-None-Match": etag}
        )
        assert unchanged.status_code == 304 and unchanged.content == b""
        assert unchanged.headers["etag"] == etag
        other = await api.get(RANKINGS, params={"limit": 6}, headers=READ)  # its own entry
        assert "x-cache" not in other.headers and len(other.json()["items"]) == 6

        # This replica's own commit (a scoring run) drops every cached answer at once.
        scored = await api.post(f"{BASE}/scoring/calculate", params={"wait": 60}, headers=TRADE)
        assert scored.status_code == 200
        fresh = await api.get(
            RANKINGS, params={"limit": 5}, headers={**READ, "If-None-Match": etag}
        )
        assert fresh.status_code == 200 and "x-cache" not in fresh.headers
        assert fresh.json()["run_id"] != first.json()["run_id"]
        assert fresh.headers["etag"] != etag


async def test_another_replicas_membership_change_shows_through_its_notification(
    committed_postgres: str, live_sim: KucoinSimulator, make_environment: Callable[..., Environment]
) -> None:
    writer, writer_clients, symbols = await prepared(committed_postgres, live_sim, make_environment)
    try:
        for symbol in symbols[:3]:
            await writer.post(
                f"{BASE}/portfolio/add-symbol", json={"symbol": symbol}, headers=TRADE
            )
        async with replica(committed_postgres, live_sim, make_environment) as (api, _):
            cached = await api.get(WEIGHTS, headers=READ)
            assert set(cached.json()["weights"]) == set(symbols[:3])
            assert (await api.get(WEIGHTS, headers=READ)).headers["x-cache"] == "hit"
            await writer.post(
                f"{BASE}/portfolio/add-symbol", json={"symbol": symbols[3]}, headers=TRADE
            )
            changed = await eventually_changes(api, WEIGHTS, cached.headers["etag"])
            assert set(changed.json()["weights"]) == set(symbols[:4])
    finally:
        await writer_clients.aclose()


async def test_an_answer_lives_no_longer_than_its_time_limit(
    committed_sqlite: str, live_sim: KucoinSimulator, make_environment: Callable[..., Environment]
) -> None:
    _, writer_clients, _ = await prepared(committed_sqlite, live_sim, make_environment)
    await writer_clients.aclose()
    async with replica(committed_sqlite, live_sim, make_environment, ttl_s=0.3) as (api, app):
        # The cache's own clock, moved by hand. On the wall clock, a machine's pause could put
        # the hit 0.05 s or more after the store, inside the default 0.25 s refresh-ahead: a
        # fresh answer would then be stored in the background, and outlive the first.
        now = [1000.0]
        app.state.app_state.response_cache.clock = lambda: now[0]
        await api.get(RANKINGS, headers=READ)
        now[0] += 0.04
        assert (await api.get(RANKINGS, headers=READ)).headers["x-cache"] == "hit"
        now[0] += 0.27  # 0.31 s after the store
        assert "x-cache" not in (await api.get(RANKINGS, headers=READ)).headers


async def test_a_large_answer_goes_out_gzipped_to_the_callers_that_ask(
    committed_sqlite: str, live_sim: KucoinSimulator, make_environment: Callable[..., Environment]
) -> None:
    _, writer_clients, _ = await prepared(committed_sqlite, live_sim, make_environment)
    await writer_clients.aclose()
    gzip, plain = (
        {**READ, "Accept-Encoding": "gzip, deflate"},
        {**READ, "Accept-Encoding": "identity"},
    )
    async with replica(committed_sqlite, live_sim, make_environment) as (api, _):
        computed = await api.get(RANKINGS, params={"limit": 50}, headers=gzip)
        kept = await api.get(RANKINGS, params={"limit": 50}, headers=gzip)
        as_is = await api.get(RANKINGS, params={"limit": 50}, headers=plain)
        held = {**gzip, "If-None-Match": kept.headers["etag"]}
        unchanged = await api.get(RANKINGS, params={"limit": 50}, headers=held)
    assert "x-cache" not in computed.headers and kept.headers["x-cache"] == "hit"
    assert as_is.headers["x-cache"] == "hit" and "content-encoding" not in as_is.headers
    size = len(as_is.content)
    assert as_is.num_bytes_downloaded == size > 5 * 1400
    for answer in (computed, kept):
        assert answer.headers["content-encoding"] == "gzip"
        assert answer.headers["vary"] == "Accept-Encoding" == as_is.headers["vary"]
        assert answer.num_bytes_downloaded < size / 3 and answer.content == as_is.content
        assert answer.headers["x-request-id"]  # the protection layer's own headers still added
    assert unchanged.status_code == 304 and unchanged.headers["etag"] == kept.headers["etag"]


async def test_keys_are_served_only_what_they_may_read_and_only_while_valid(
    database: str, live_sim: KucoinSimulator, make_environment: Callable[..., Environment]
) -> None:
    _, writer_clients, _ = await prepared(database, live_sim, make_environment)
    await writer_clients.aclose()
    async with replica(database, live_sim, make_environment) as (api, _):
        created = await api.post(
            f"{BASE}/api-keys", json={"name": "engine", "role": "read"}, headers=ADMIN
        )
        stored = {"X-API-Key": created.json()["key"]}
        # Its first use records `last_used_at` (a commit: nothing is kept); later ones fill.
        assert (await api.get(RANKINGS, headers=stored)).status_code == 200
        await eventually_hits(api, RANKINGS, stored)

        # An admin-only read cached for an admin is not served to a read key.
        algorithms = f"{BASE}/scoring/algorithms"
        await eventually_hits(api, algorithms, ADMIN)
        assert_problem(await api.get(algorithms, headers=READ), 403, "forbidden")
        assert_problem(await api.get(RANKINGS), 401, "unauthenticated")  # no key

        # A revocation commits: the stored key is not served from the cache any more.
        revoked = await api.delete(f"{BASE}/api-keys/{created.json()['id']}", headers=ADMIN)
        assert revoked.status_code in (200, 204)
        assert_problem(await api.get(RANKINGS, headers=stored), 401, "unauthenticated")


async def test_an_empty_x_api_key_beside_a_bearer_key_is_the_bearer_key_to_cache_and_routes(
    database: str, live_sim: KucoinSimulator, make_environment: Callable[..., Environment]
) -> None:
    _, writer_clients, _ = await prepared(database, live_sim, make_environment)
    await writer_clients.aclose()

    def bearer(key: str) -> dict[str, str]:
        return {"X-API-Key": "", "Authorization": f"Bearer {key}"}

    empty = {"X-API-Key": ""}
    signals = f"{BASE}/signals"
    signal = {
        "source": "bot",
        "signal_type": "PROBE",
        "direction": "BUY",
        "strength": 0.5,
        "confidence": 0.5,
    }
    async with replica(database, live_sim, make_environment) as (api, _):
        # A cached read is served to the Bearer key, an admin-only one to an admin's only.
        await eventually_hits(api, RANKINGS, bearer(READ_KEY))
        algorithms = f"{BASE}/scoring/algorithms"
        await eventually_hits(api, algorithms, bearer(ADMIN_KEY))
        assert_problem(await api.get(algorithms, headers=bearer(READ_KEY)), 403, "forbidden")
        # A write authenticates the same key the same way.
        assert (await api.post(signals, json=signal, headers=bearer(TRADE_KEY))).status_code == 201
        assert_problem(
            await api.post(signals, json=signal, headers=bearer(READ_KEY)), 403, "forbidden"
        )
        # The empty header alone is no key, to the cache as to the routes: nothing was learnt
        # about it from the keys presented beside it.
        for path in (RANKINGS, algorithms):
            assert_problem(await api.get(path, headers=empty), 401, "unauthenticated")
        assert_problem(await api.post(signals, json=signal, headers=empty), 401, "unauthenticated")


CORRELATION = f"{BASE}/portfolio/correlation"


@asynccontextmanager
async def candles_locked(url: str) -> AsyncIterator[Callable[[], Awaitable[None]]]:
    """The candles locked by another connection while the block runs, so a recomputation of
    the analytics waits; what it yields returns once a request waits on the lock."""
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as holder, engine.connect() as watcher:
            await holder.execute(text("LOCK TABLE candle IN ACCESS EXCLUSIVE MODE"))

            async def waited_on() -> None:
                for _ in range(1000):
                    waiting = await watcher.scalar(
                        text(
                            "SELECT count(*) FROM pg_locks WHERE NOT granted "
                            "AND relation = 'candle'::regclass"
                        )
                    )
                    await watcher.rollback()
                    if waiting:
                        return
                    await asyncio.sleep(0.01)
                raise AssertionError("no request waits on the candles")

            yield waited_on
            await holder.rollback()
    finally:
        await engine.dispose()


async def test_after_a_commit_a_heavy_read_is_served_stale_with_its_age_until_refreshed(
    committed_postgres: str, live_sim: KucoinSimulator, make_environment: Callable[..., Environment]
) -> None:
    writer, writer_clients, symbols = await prepared(committed_postgres, live_sim, make_environment)
    for symbol in symbols[:3]:
        await writer.post(f"{BASE}/portfolio/add-symbol", json={"symbol": symbol}, headers=TRADE)
    await writer_clients.aclose()
    async with replica(committed_postgres, live_sim, make_environment) as (api, app):
        await eventually_hits(api, CORRELATION, READ)
        kept = await api.get(CORRELATION, headers=READ)
        assert kept.headers["x-cache"] == "hit" and kept.json()["symbols"] == symbols[:3]
        added = await api.post(
            f"{BASE}/portfolio/add-symbol", json={"symbol": symbols[3]}, headers=TRADE
        )
        assert added.status_code == 200, added.text  # a commit: every answer is out of date
        async with candles_locked(committed_postgres) as waited_on:
            first = await api.get(CORRELATION, headers=READ)  # served at once, stale
            await waited_on()  # its recomputation, in the background, waits for the candles
            meanwhile = await api.get(CORRELATION, headers=READ)
        await app.state.app_state.response_cache.settled()
        after = await api.get(CORRELATION, headers=READ)
        plain = await api.get(WEIGHTS, headers=READ)  # no stale answer for a read that acts
    for stale in (first, meanwhile):
        assert stale.status_code == 200 and stale.content == kept.content
        assert stale.headers["x-cache"] == "stale" and stale.headers["age"].isdigit()
    assert after.status_code == 200 and after.headers["x-cache"] == "hit"
    assert set(after.json()["symbols"]) == set(symbols[:4]) and "age" not in after.headers
    assert set(plain.json()["weights"]) == set(symbols[:4])


async def test_a_revoked_key_is_not_served_a_stale_answer(
    committed_postgres: str, live_sim: KucoinSimulator, make_environment: Callable[..., Environment]
) -> None:
    writer, writer_clients, symbols = await prepared(committed_postgres, live_sim, make_environment)
    for symbol in symbols[:3]:
        await writer.post(f"{BASE}/portfolio/add-symbol", json={"symbol": symbol}, headers=TRADE)
    await writer_clients.aclose()
    async with replica(committed_postgres, live_sim, make_environment) as (api, _):
        created = await api.post(
            f"{BASE}/api-keys", json={"name": "desk", "role": "read"}, headers=ADMIN
        )
        stored = {"X-API-Key": created.json()["key"]}
        assert (await api.get(CORRELATION, headers=stored)).status_code == 200
        await eventually_hits(api, CORRELATION, stored)
        revoked = await api.delete(f"{BASE}/api-keys/{created.json()['id']}", headers=ADMIN)
        assert revoked.status_code in (200, 204)  # a commit: the answer is kept stale
        async with candles_locked(committed_postgres) as waited_on:
            served = await api.get(CORRELATION, headers=READ)  # to a key that may read it
            await waited_on()  # its recomputation, in the background
            gone = await api.get(CORRELATION, headers=stored)
    assert_problem(gone, 401, "unauthenticated")
    assert served.headers["x-cache"] == "stale"
