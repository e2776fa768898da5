"""The response cache's middleware on a small app (no database): one computation for many
simultaneous callers, an expired answer served while it is refreshed, 304 on a matching ETag,
errors and unmarked routes never kept, commits dropping everything, the bounds in number and
bytes (least recently used out first; a body over 1 MiB served, to every caller waiting for it,
but never kept; keys counted with their answers, `Accept` kept as the media type it
negotiates), a large answer gzipped for the callers that take it."""

from __future__ import annotations

import asyncio
import gzip
import time

import httpx
import pytest
from fastapi import FastAPI, HTTPException, Response

from app.platform.http import cache_entries, response_cache
from app.platform.http.cache_keys import accepts_gzip, request_key
from app.platform.http.response_cache import CachedRead, ResponseCache
from tests.unit.platform.api.protected import protect

DELAY_S = 0.05


def app_with(cache: ResponseCache) -> tuple[FastAPI, dict[str, int]]:
    calls = {"cached": 0, "plain": 0, "failing": 0, "sized": 0}
    app = FastAPI()

    @app.get("/cached", dependencies=[CachedRead])
    async def cached() -> dict[str, int]:
        calls["cached"] += 1
        await asyncio.sleep(DELAY_S)
        return {"call": calls["cached"]}

    @app.get("/plain")
    async def plain() -> dict[str, int]:
        calls["plain"] += 1
        return {"call": calls["plain"]}

    @app.get("/failing", dependencies=[CachedRead])
    async def failing() -> None:
        calls["failing"] += 1
        raise HTTPException(404)

    @app.get("/sized", dependencies=[CachedRead])
    async def sized(size: int, fill: str = "x") -> Response:
        calls["sized"] += 1
        await asyncio.sleep(DELAY_S)
        return Response(fill.encode() * size, media_type="application/octet-stream")

    @app.get("/varied", dependencies=[CachedRead])
    async def varied(size: int) -> Response:  # a route negotiating its media type, say
        return Response(b"v" * size, media_type="text/plain", headers={"Vary": "Accept"})

    protect(app, cache)
    return app, calls


@pytest.fixture
def cache() -> ResponseCache:
    return ResponseCache(0.2, single_process=True, open_reads=True)


async def client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")


async def test_simultaneous_callers_share_one_computation(cache: ResponseCache) -> None:
    app, calls = app_with(cache)
    async with await client(app) as api:
        answers = await asyncio.gather(*(api.get("/cached") for _ in range(10)))
    assert calls["cached"] == 1
    assert {a.json()["call"] for a in answers} == {1}
    assert sum(a.headers.get("x-cache") == "hit" for a in answers) == 9
    assert len({a.headers["etag"] for a in answers}) == 1


async def test_an_expired_answer_is_served_while_it_is_refreshed(cache: ResponseCache) -> None:
    app, calls = app_with(cache)
    async with await client(app) as api:
        await api.get("/cached")
        await asyncio.sleep(0.25)  # past the time limit
        refresh = asyncio.create_task(api.get("/cached"))
        await asyncio.sleep(DELAY_S / 5)
        meanwhile = await api.get("/cached")
        assert meanwhile.json()["call"] == 1 and meanwhile.headers["x-cache"] == "hit"
        assert (await refresh).json()["call"] == 2
        assert (await api.get("/cached")).json()["call"] == 2
    assert calls["cached"] == 2


async def test_a_matching_etag_gets_304_and_a_commit_drops_the_answer(cache: ResponseCache) -> None:
    app, calls = app_with(cache)
    async with await client(app) as api:
        first = await api.get("/cached")
        etag = first.headers["etag"]
        unchanged = await api.get("/cached", headers={"If-None-Match": f'W/{etag}, "other"'})
        assert unchanged.status_code == 304 and unchanged.content == b""
        cache.invalidate()  # what a commit does
        again = await api.get("/cached", headers={"If-None-Match": etag})
        assert again.status_code == 200 and again.json()["call"] == 2
    assert calls["cached"] == 2


async def test_errors_and_unmarked_routes_are_never_kept(cache: ResponseCache) -> None:
    app, calls = app_with(cache)
    async with await client(app) as api:
        for _ in range(3):
            assert (await api.get("/failing")).status_code == 404
            plain = await api.get("/plain")
            assert "etag" not in plain.headers and "x-cache" not in plain.headers
    assert calls["failing"] == 3 and calls["plain"] == 3


async def test_an_answer_computed_across_a_commit_is_not_kept(cache: ResponseCache) -> None:
    app, calls = app_with(cache)
    async with await client(app) as api:
        pending = asyncio.create_task(api.get("/cached"))
        await asyncio.sleep(DELAY_S / 5)
        cache.invalidate()  # a commit lands while the answer is being computed
        assert (await pending).json()["call"] == 1
        assert (await api.get("/cached")).json()["call"] == 2
    assert calls["cached"] == 2


async def test_the_number_of_answers_kept_is_bounded(
    cache: ResponseCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(response_cache, "MAX_ENTRIES", 3)
    app, _ = app_with(cache)
    async with await client(app) as api:
        for n in range(5):
            await api.get("/cached", params={"n": n})
        for n in (2, 3, 4):
            assert (await api.get("/cached", params={"n": n})).headers["x-cache"] == "hit"
        assert "x-cache" not in (await api.get("/cached", params={"n": 0})).headers


def kept_bytes(cache: ResponseCache) -> int:
    return sum(entry.size + len(key) for key, entry in cache._entries.items())


def key_bytes(path: str, query: str, accept: bytes = b"*/*") -> int:
    """The bytes of a request's key (httpx sends `Accept: */*`)."""
    scope = {"path": path, "query_string": query.encode(), "headers": [(b"accept", accept)]}
    return len(request_key(scope))


@pytest.mark.slow  # 60 answers, each computed in DELAY_S
async def test_the_bytes_kept_stay_within_the_bound() -> None:
    cache = ResponseCache(60, single_process=True, max_bytes=10_000, open_reads=True)
    app, calls = app_with(cache)
    async with await client(app) as api:
        for n in range(60):
            size = 100 + (n * 337) % 2400
            answer = await api.get("/sized", params={"size": size})
            assert answer.status_code == 200 and len(answer.content) == size
            assert cache.bytes == kept_bytes(cache) <= 10_000
        assert len(cache) >= 4  # the newest answers, as many as fit
        cache.invalidate()
        assert cache.bytes == 0 and len(cache) == 0
    assert calls["sized"] == 60


async def test_the_least_recently_used_answer_goes_first() -> None:
    each = 1000 + key_bytes("/sized", "size=1000&fill=a")  # the body and its key
    cache = ResponseCache(60, single_process=True, max_bytes=3 * each, open_reads=True)
    app, calls = app_with(cache)
    async with await client(app) as api:

        async def get(fill: str) -> httpx.Response:
            return await api.get("/sized", params={"size": 1000, "fill": fill})

        for fill in "abc":
            await get(fill)
        assert (await get("a")).headers["x-cache"] == "hit"  # now b is the least recently used
        await get("d")  # room for it: b goes
        assert cache.bytes == 3 * each
        for fill in "acd":
            assert (await get(fill)).headers["x-cache"] == "hit"
        recomputed = await get("b")
        assert "x-cache" not in recomputed.headers and recomputed.content == b"b" * 1000
    assert calls["sized"] == 5


async def test_an_answer_over_one_mebibyte_is_served_but_not_kept() -> None:
    cache = ResponseCache(60, single_process=True, open_reads=True)
    app, calls = app_with(cache)
    size = cache_entries.MAX_BODY_BYTES + 1
    async with await client(app) as api:
        answers = [await api.get("/sized", params={"size": size}) for _ in range(2)]
        small = [await api.get("/sized", params={"size": 10}) for _ in range(2)]
    for answer in answers:
        assert answer.status_code == 200 and answer.content == b"x" * size
        assert answer.headers["content-length"] == str(size) and "etag" in answer.headers
        assert "x-cache" not in answer.headers
    assert small[1].headers["x-cache"] == "hit"
    assert calls["sized"] == 3  # the large answer computed twice, the small one once
    assert cache.bytes == 10 + key_bytes("/sized", "size=10") and len(cache) == 1


async def test_simultaneous_callers_of_an_answer_too_large_to_keep_share_one_computation() -> None:
    cache = ResponseCache(60, single_process=True, open_reads=True)
    app, calls = app_with(cache)
    size = cache_entries.MAX_BODY_BYTES + 1
    async with await client(app) as api:
        together = await asyncio.gather(
            *(api.get("/sized", params={"size": size}) for _ in range(10))
        )
        assert calls["sized"] == 1
        later = await api.get("/sized", params={"size": size})
    assert all(a.status_code == 200 and a.content == b"x" * size for a in [*together, later])
    assert len({a.headers["etag"] for a in together}) == 1
    assert calls["sized"] == 2 and len(cache) == 0  # served to those who waited, never kept


GZIP = {"Accept-Encoding": "gzip"}
PLAIN = {"Accept-Encoding": "identity"}


async def test_a_large_answer_is_gzipped_for_a_caller_that_takes_it(cache: ResponseCache) -> None:
    app, calls = app_with(cache)
    size = cache_entries.GZIP_FROM_BYTES
    async with await client(app) as api:
        computed = await api.get("/sized", params={"size": size}, headers=GZIP)
        kept = await api.get("/sized", params={"size": size}, headers=GZIP)
        plain = await api.get("/sized", params={"size": size}, headers=PLAIN)
    assert calls["sized"] == 1
    for gzipped in (computed, kept):
        assert gzipped.headers["content-encoding"] == "gzip"
        assert gzipped.headers["vary"] == "Accept-Encoding"
        assert int(gzipped.headers["content-length"]) == gzipped.num_bytes_downloaded < 100
        assert gzipped.content == b"x" * size  # decoded by the client
    assert kept.headers["x-cache"] == "hit" and kept.headers["etag"] == computed.headers["etag"]
    assert "content-encoding" not in plain.headers and plain.headers["vary"] == "Accept-Encoding"
    assert plain.num_bytes_downloaded == size and plain.content == b"x" * size
    assert plain.headers["etag"] != kept.headers["etag"]  # one validator per representation
    key, entry = next(iter(cache._entries.items()))
    assert entry.gzipped is not None
    assert cache.bytes == size + len(entry.gzipped.body) + len(key)


async def test_a_validator_gets_304_for_its_own_representation_only(
    cache: ResponseCache,
) -> None:
    app, calls = app_with(cache)
    params = {"size": 5000}
    async with await client(app) as api:
        gzipped = await api.get("/sized", params=params, headers=GZIP)
        plain = await api.get("/sized", params=params, headers=PLAIN)
        for _ in range(2):  # kept, then computed again after a commit (the same bytes)
            for caller, held, other in ((GZIP, gzipped, plain), (PLAIN, plain, gzipped)):
                check = {**caller, "If-None-Match": held.headers["etag"]}
                unchanged = await api.get("/sized", params=params, headers=check)
                assert unchanged.status_code == 304 and unchanged.content == b""
                assert unchanged.headers["etag"] == held.headers["etag"]
                assert unchanged.headers["vary"] == "Accept-Encoding"
                check = {**caller, "If-None-Match": other.headers["etag"]}
                sent = await api.get("/sized", params=params, headers=check)
                assert sent.status_code == 200 and sent.headers["etag"] == held.headers["etag"]
            cache.invalidate()
            computed = await api.get(
                "/sized", params=params, headers={**GZIP, "If-None-Match": gzipped.headers["etag"]}
            )
            assert computed.status_code == 304 and "x-cache" not in computed.headers
    assert calls["sized"] == 3


async def test_an_answer_compressed_across_a_commit_is_served_not_kept(
    cache: ResponseCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    compress = gzip.compress

    def slow_compress(data: bytes, compresslevel: int = 9, *, mtime: float | None = None) -> bytes:
        time.sleep(0.2)  # in the compressing thread: the loop goes on
        return compress(data, compresslevel, mtime=mtime)

    monkeypatch.setattr(gzip, "compress", slow_compress)
    app, calls = app_with(cache)
    async with await client(app) as api:
        pending = asyncio.create_task(api.get("/sized", params={"size": 5000}, headers=GZIP))
        await asyncio.sleep(DELAY_S + 0.1)  # the route has answered, its bytes are compressing
        cache.invalidate()  # a commit lands meanwhile
        answer = await pending
        assert answer.status_code == 200 and answer.content == b"x" * 5000
        assert answer.headers["content-encoding"] == "gzip"
        assert len(cache) == 0 and cache.bytes == 0
        again = await api.get("/sized", params={"size": 5000}, headers=GZIP)
        assert "x-cache" not in again.headers
    assert calls["sized"] == 2


async def test_a_small_answer_is_sent_plain_to_every_caller(cache: ResponseCache) -> None:
    app, _ = app_with(cache)
    size = cache_entries.GZIP_FROM_BYTES - 1
    async with await client(app) as api:
        for _ in range(2):
            answer = await api.get("/sized", params={"size": size}, headers=GZIP)
            assert answer.num_bytes_downloaded == size
            assert "content-encoding" not in answer.headers and "vary" not in answer.headers
    assert cache.bytes == size + key_bytes("/sized", f"size={size}")


async def test_an_answer_too_large_to_keep_is_never_compressed() -> None:
    cache = ResponseCache(60, single_process=True, open_reads=True)
    app, _ = app_with(cache)
    size = cache_entries.MAX_BODY_BYTES + 1
    async with await client(app) as api:
        answer = await api.get("/sized", params={"size": size}, headers=GZIP)
    assert answer.num_bytes_downloaded == size and "content-encoding" not in answer.headers


@pytest.mark.parametrize(
    ("accept_encoding", "takes_gzip"),
    [
        ("gzip", True),
        ("gzip, deflate, br, zstd", True),  # httpx's and browsers' defaults
        ("GZIP;Q=0.5", True),
        ("x-gzip", True),
        ("*", True),
        ("br, *;q=0.1", True),
        ("gzip;q=bad", True),  # a malformed quality counts as absent
        (None, False),
        ("identity", False),
        ("gzip;q=0", False),
        ("gzip; q=0.000", False),
        ("*;q=0", False),
        ("*, gzip;q=0", False),  # named beats the wildcard, whatever the order
        ("br", False),
        ("gzip;q=0.5, " + "x" * 200, True),  # longer than the memo keeps: read all the same
    ],
)
def test_accept_encoding_is_read_by_its_qualities(
    accept_encoding: str | None, takes_gzip: bool
) -> None:
    headers = [] if accept_encoding is None else [(b"accept-encoding", accept_encoding.encode())]
    assert accepts_gzip({"type": "http", "headers": headers}) is takes_gzip


def test_accept_encoding_lines_are_read_as_one_list() -> None:
    headers = [(b"accept-encoding", b"br"), (b"accept-encoding", b"gzip")]
    assert accepts_gzip({"type": "http", "headers": headers}) is True
    headers = [(b"accept-encoding", b"*"), (b"accept-encoding", b"gzip;q=0")]
    assert accepts_gzip({"type": "http", "headers": headers}) is False


@pytest.mark.parametrize("size", [10, 5000])
async def test_what_a_route_varies_with_is_kept_with_its_answer(
    cache: ResponseCache, size: int
) -> None:
    app, _ = app_with(cache)
    expected = "Accept" if size < cache_entries.GZIP_FROM_BYTES else "Accept, Accept-Encoding"
    async with await client(app) as api:
        for caller in (GZIP, PLAIN, GZIP):  # computed, then kept
            answer = await api.get("/varied", params={"size": size}, headers=caller)
            assert answer.headers.get_list("vary") == [expected]
            check = {**caller, "If-None-Match": answer.headers["etag"]}
            unchanged = await api.get("/varied", params={"size": size}, headers=check)
            assert unchanged.status_code == 304 and unchanged.headers.get_list("vary") == [expected]
        assert answer.headers["x-cache"] == "hit"


class TestKeys:
    """What a key holds of a request, and what it costs the cache's bound."""

    def test_accept_is_kept_as_the_media_type_it_negotiates(self) -> None:
        json_key = key_bytes("/cached", "n=1", b"*/*")
        assert json_key == key_bytes("/cached", "n=1", b"a" * 32768) == len(b"/cached?n=1")
        assert key_bytes("/cached", "n=1", b"text/csv") == json_key + len(b"#csv")
        # Neither (the API's routes answer it 406): a key of its own, never a JSON answer's.
        assert key_bytes("/cached", "n=1", b"application/xml") == json_key + len(b"#none")

    def test_a_key_follows_what_the_answer_would_be(self) -> None:
        def key(*accepts: bytes) -> bytes:
            headers = [(b"accept", accept) for accept in accepts]
            return request_key({"path": "/p", "query_string": b"", "headers": headers})

        json = {key(), key(b"application/json"), key(b"*/*"), key(b"text/csv;q=0.5", b"*/*")}
        assert json == {b"/p?"}
        # Its lines are one list, as content negotiation reads them: two lines that prefer JSON
        # never share the key of a CSV answer (a caller could otherwise plant one for others).
        assert key(b"text/csv;q=0.5", b"application/json") == b"/p?"
        assert key(b"text/csv") == key(b"application/json;q=0.5", b"text/csv") == b"/p?#csv"

    @pytest.mark.slow  # 600 reads
    async def test_distinct_long_accept_values_share_one_key(self) -> None:
        """600 reads, each with its own 30 kB `Accept`, of a route varying with it: one answer
        kept, what the bound counts being its body and key, nothing of the callers' values."""
        cache = ResponseCache(60, single_process=True, open_reads=True)
        app, _ = app_with(cache)
        each = 10 + key_bytes("/varied", "size=10", b"text/x-0")  # takes neither JSON nor CSV
        async with await client(app) as api:
            for n in range(600):
                accept = f"text/x-{n}-".encode() + b"a" * 30_000
                answer = await api.get("/varied", params={"size": 10}, headers={"Accept": accept})
                assert answer.status_code == 200
                assert answer.headers.get("x-cache") == (None if n == 0 else "hit")
        assert len(cache) == 1
        assert cache.bytes == kept_bytes(cache) == each

    async def test_keys_count_against_the_bound_in_bytes(self) -> None:
        """Answers of empty bodies still fill the bound: by their keys."""
        each = key_bytes("/varied", "size=0&pad=" + "k" * 1000)
        cache = ResponseCache(60, single_process=True, max_bytes=5 * each, open_reads=True)
        app, _ = app_with(cache)
        async with await client(app) as api:
            for n in range(20):
                pad = f"{n:02d}" + "k" * 998
                assert (await api.get("/varied", params={"size": 0, "pad": pad})).status_code == 200
        assert len(cache) == 5 and cache.bytes == kept_bytes(cache) == 5 * each
