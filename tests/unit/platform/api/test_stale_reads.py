"""Answers recomputed in the background, on a small app (no database), on a clock the tests move.

After a commit a heavy read's answer is served stale, with its age, to every caller while it is
recomputed in the background; the callers after the refresh get the fresh one; a route that did
not opt in, an answer past the bound, and an answer whose recomputation failed are never served
stale. An answer near its time limit is refreshed ahead of the callers: the caller that finds it
so is served it, and no caller waits for the recomputation."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI, HTTPException
from starlette.types import Receive, Scope, Send

from app.platform.core.environment import Role
from app.platform.http.cache_entries import Entry, Representation
from app.platform.http.cache_keys import request_key
from app.platform.http.caller import resolve_caller
from app.platform.http.response_cache import CachedHeavyRead, CachedRead, ResponseCache
from tests.unit.platform.api.protected import protect

STALE_S = 30.0


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Routes:
    """A heavy read and a plain cached one, each counting its computations; a computation
    waits at the gate while it is closed, and `failing` makes the heavy one answer 409."""

    def __init__(self) -> None:
        self.calls = {"heavy": 0, "plain": 0}
        self.gate = asyncio.Event()
        self.gate.set()
        self.computing = asyncio.Event()
        self.failing = False

    async def compute(self, name: str) -> dict[str, int]:
        self.calls[name] += 1
        call = self.calls[name]
        self.computing.set()
        await self.gate.wait()
        if self.failing:
            raise HTTPException(409)
        return {"call": call}


def app_with(cache: ResponseCache, routes: Routes) -> FastAPI:
    app = FastAPI()

    @app.get("/heavy", dependencies=[CachedHeavyRead])
    async def heavy() -> dict[str, int]:
        return await routes.compute("heavy")

    @app.get("/plain", dependencies=[CachedRead])
    async def plain() -> dict[str, int]:
        return await routes.compute("plain")

    protect(app, cache)
    return app


@pytest.fixture
def clock() -> Clock:
    return Clock()


TTL_S, AHEAD_S = 60.0, 15.0


@pytest.fixture
def cache(clock: Clock) -> ResponseCache:
    return ResponseCache(
        TTL_S,
        single_process=True,
        open_reads=True,
        stale_s=STALE_S,
        refresh_ahead_s=AHEAD_S,
        clock=clock,
    )


@pytest.fixture
def routes() -> Routes:
    return Routes()


@pytest.fixture
async def api(cache: ResponseCache, routes: Routes) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app_with(cache, routes))
    return httpx.AsyncClient(transport=transport, base_url="http://t")


async def refreshing(
    api: httpx.AsyncClient, path: str, routes: Routes
) -> asyncio.Task[httpx.Response]:
    """A caller's request, held in its computation (the gate closed) once this returns."""
    routes.gate.clear()
    routes.computing.clear()
    request = asyncio.create_task(api.get(path))
    await routes.computing.wait()
    return request


async def waiting_for(api: httpx.AsyncClient, path: str) -> asyncio.Task[httpx.Response]:
    """A caller's request, once it waits (for the computation under way): not answered when
    every step it can take without that computation has been taken (nothing here waits on I/O
    or a timer)."""
    request = asyncio.create_task(api.get(path))
    for _ in range(100):
        await asyncio.sleep(0)
    assert not request.done()
    return request


async def test_after_a_commit_every_caller_gets_the_stale_answer_and_its_age(
    api: httpx.AsyncClient, cache: ResponseCache, clock: Clock, routes: Routes
) -> None:
    first = await api.get("/heavy")
    clock.now += 7.6
    cache.invalidate()  # what a commit does
    routes.gate.clear()  # the recomputation waits at the gate: nobody waits for it
    routes.computing.clear()
    meanwhile = [await api.get("/heavy") for _ in range(4)]
    for answer in meanwhile:
        assert answer.status_code == 200 and answer.json() == {"call": 1}
        assert answer.headers["x-cache"] == "stale" and answer.headers["age"] == "7"
        assert answer.headers["etag"] == first.headers["etag"]
    await routes.computing.wait()
    assert routes.calls["heavy"] == 2  # one recomputation, started by the first of them
    routes.gate.set()
    await cache.settled()
    after = await api.get("/heavy")
    assert after.json() == {"call": 2} and after.headers["x-cache"] == "hit"
    assert "age" not in after.headers
    assert routes.calls["heavy"] == 2  # one recomputation for every caller


async def test_a_stale_answer_the_caller_has_is_a_304_with_its_age(
    api: httpx.AsyncClient, cache: ResponseCache, clock: Clock, routes: Routes
) -> None:
    etag = (await api.get("/heavy")).headers["etag"]
    clock.now += 2.0
    cache.invalidate()
    unchanged = await api.get("/heavy", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged.headers["x-cache"] == "stale" and unchanged.headers["age"] == "2"
    await cache.settled()
    assert routes.calls["heavy"] == 2


async def test_a_route_that_did_not_opt_in_is_never_served_stale(
    api: httpx.AsyncClient, cache: ResponseCache, routes: Routes
) -> None:
    await api.get("/plain")
    cache.invalidate()
    refresh = await refreshing(api, "/plain", routes)
    waiting = await waiting_for(api, "/plain")  # for the one computation
    routes.gate.set()
    refreshed, waited = await refresh, await waiting
    assert refreshed.json() == waited.json() == {"call": 2}
    assert waited.headers["x-cache"] == "hit" and "age" not in waited.headers
    assert routes.calls["plain"] == 2


@pytest.mark.parametrize("commit_first", [True, False])
async def test_an_answer_past_the_bound_is_not_served(
    api: httpx.AsyncClient, cache: ResponseCache, clock: Clock, routes: Routes, commit_first: bool
) -> None:
    """Past the bound at the commit (never kept stale), or only by the time it is asked for."""
    await api.get("/heavy")
    if commit_first:
        cache.invalidate()
        clock.now += STALE_S + 0.5
    else:
        clock.now += STALE_S + 0.5
        cache.invalidate()
    refresh = await refreshing(api, "/heavy", routes)
    waiting = await waiting_for(api, "/heavy")
    routes.gate.set()
    refreshed, waited = await refresh, await waiting
    assert refreshed.json() == waited.json() == {"call": 2}
    assert waited.headers["x-cache"] == "hit" and "age" not in waited.headers


async def test_an_answer_whose_recomputation_failed_is_not_served_stale_again(
    api: httpx.AsyncClient, cache: ResponseCache, routes: Routes
) -> None:
    await api.get("/heavy")
    cache.invalidate()
    routes.failing = True
    assert (await api.get("/heavy")).headers["x-cache"] == "stale"
    await cache.settled()  # the recomputation answered 409: the answer is now that
    routes.failing = False
    refresh = await refreshing(api, "/heavy", routes)
    waiting = await waiting_for(api, "/heavy")  # not served the stale answer
    routes.gate.set()
    assert (await refresh).json() == {"call": 3}
    waited = await waiting
    assert waited.json() == {"call": 3} and waited.headers["x-cache"] == "hit"


async def test_what_is_kept_stale_counts_in_the_bytes_and_goes_at_the_next_fresh_answer(
    api: httpx.AsyncClient, cache: ResponseCache
) -> None:
    key = request_key({"path": "/heavy", "query_string": b"", "headers": [(b"accept", b"*/*")]})
    size = len((await api.get("/heavy")).content) + len(key)  # the body and its key
    await api.get("/plain")
    cache.invalidate()
    assert (cache.bytes, len(cache)) == (size, 1)  # the plain answer went, the heavy one stays
    await api.get("/heavy")
    await cache.settled()
    assert (cache.bytes, len(cache)) == (size, 1)  # replaced by the fresh one


@pytest.mark.parametrize("route", ["plain", "heavy"])
async def test_an_answer_near_its_limit_is_refreshed_ahead_of_the_callers(
    api: httpx.AsyncClient, cache: ResponseCache, clock: Clock, routes: Routes, route: str
) -> None:
    await api.get(f"/{route}")
    clock.now += TTL_S - AHEAD_S - 1  # not near its limit yet
    assert (await api.get(f"/{route}")).json() == {"call": 1}
    await cache.settled()
    assert routes.calls[route] == 1
    clock.now += 2  # within AHEAD_S of its limit
    routes.gate.clear()
    routes.computing.clear()
    near = [await api.get(f"/{route}") for _ in range(3)]
    assert [a.json() for a in near] == [{"call": 1}] * 3  # served, none waiting
    assert all(a.headers["x-cache"] == "hit" for a in near)
    await routes.computing.wait()
    clock.now += AHEAD_S  # past its limit, its refresh still under way
    late = await api.get(f"/{route}")
    assert late.json() == {"call": 1} and late.headers["x-cache"] == "hit"
    assert routes.calls[route] == 2  # one refresh for them all
    routes.gate.set()
    await cache.settled()
    refreshed = await api.get(f"/{route}")
    assert refreshed.json() == {"call": 2} and refreshed.headers["x-cache"] == "hit"


async def test_an_expired_answer_nobody_refreshed_is_computed_by_its_caller(
    api: httpx.AsyncClient, cache: ResponseCache, clock: Clock, routes: Routes
) -> None:
    """Nobody asked near its limit: its first caller after it waits for the recomputation (the
    others are served the expired answer meanwhile, as `test_response_cache` shows)."""
    await api.get("/plain")
    clock.now += TTL_S + 1
    computing = await refreshing(api, "/plain", routes)
    await asyncio.sleep(0.05)
    assert not computing.done()
    routes.gate.set()
    assert (await computing).json() == {"call": 2}


async def test_a_refresh_that_raises_keeps_the_answer_until_its_limit(
    api: httpx.AsyncClient,
    cache: ResponseCache,
    clock: Clock,
    routes: Routes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await api.get("/heavy")
    clock.now += TTL_S - 1
    routes.compute = _raising  # type: ignore[method-assign]
    assert (await api.get("/heavy")).json() == {"call": 1}
    await cache.settled()
    assert "refreshing /heavy failed" in caplog.text
    assert (await api.get("/heavy")).json() == {"call": 1}  # kept, refreshed again
    await cache.settled()


async def test_a_stopping_service_cancels_the_refreshes_under_way(
    api: httpx.AsyncClient, cache: ResponseCache, clock: Clock, routes: Routes
) -> None:
    await api.get("/plain")
    clock.now += TTL_S - 1
    routes.gate.clear()
    await api.get("/plain")
    await routes.computing.wait()
    await asyncio.wait_for(cache.close(), 5)
    routes.gate.set()
    await asyncio.sleep(0.05)
    assert routes.calls["plain"] == 2
    assert (await api.get("/plain")).json() == {"call": 1}  # the refresh never kept its answer


async def _raising(name: str) -> dict[str, int]:
    raise RuntimeError(f"{name} broke")


async def test_a_refresh_cancelled_before_it_ran_still_ends_what_find_began(
    cache: ResponseCache, clock: Clock
) -> None:
    """No caller can wait for ever on a refresh that never ran (stopped at once)."""
    scope = {"type": "http", "method": "GET", "path": "/plain", "query_string": b"", "headers": []}
    caller = resolve_caller(scope, None)
    key = request_key(scope)
    future = cache.begin(key)
    cache.end(key, _entry(cache), future, answered=True)
    cache.store(key, _entry(cache))
    clock.now += TTL_S - 1
    found = await cache.find(key, caller)
    assert found.entry is not None and found.refresh is not None
    cache.refresh(scope, _never_called, key, caller, found.refresh)
    await cache.close()  # before the task took a step
    assert found.refresh.done()
    clock.now += TTL_S  # expired, nothing pending: the next caller computes it
    assert (await cache.find(key, caller)).computing is not None


def _entry(cache: ResponseCache) -> Entry:
    return Entry(
        plain=Representation.of(b"{}", b"application/json"),
        gzipped=None,
        role=Role.READ,
        may_stale=False,
        generation=cache.generation,
        stored_at=cache.clock(),
    )


async def _never_called(scope: Scope, receive: Receive, send: Send) -> None:
    raise AssertionError("a cancelled refresh ran")
