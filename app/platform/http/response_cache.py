"""The per-replica cache of whole read responses: one mechanism for every cacheable `GET`.

A route opts in with `CachedRead` (a dependency that records the role it requires). Its `200`
answers are kept, body and `ETag`, keyed by path, query and the media type `Accept` negotiates
(a route may answer CSV; every value a caller may send shares one of three keys, the third for
an `Accept` taking neither, which the route answers 406, and none is kept), and served again,
before FastAPI's routing and dependencies, to any caller whose key is known to hold that role
(never to one presenting different keys, which its route refuses), while:

- nothing has been committed since (this replica's own commits invalidate at once; the other
  replicas' through PostgreSQL's change notifications, so on PostgreSQL the cache serves only
  while it is listening; SQLite is one process), and
- the answer is younger than `reads.cache_ttl_s` (default 1 s): clock-derived fields such as
  data ages, and live prices, are at most that old.

Every cached read carries an `ETag` (a hash of the body); `If-None-Match` with it gets `304`.
An answer of a packet or more is kept gzipped beside its plain bytes too, and sent so to a
caller whose `Accept-Encoding` takes gzip (as httpx's, aiohttp's and browsers' do): its own
`ETag`, both varying with `Accept-Encoding` (and with what the route's answer varies with). The
symbols page goes out in a tenth of its bytes, compressed when it is computed, not per request.
When an answer is missing, the first caller computes it and the others wait for it (no stampede
of identical computations under load). An answer within `reads.refresh_ahead_s` of its time
limit is refreshed ahead of the callers: the first caller to find it so is served it, and its
recomputation runs in the background, so that under steady reads no caller waits for one (a
caller that comes after the limit, before the refresh is kept, is served the expiring answer).
A heavy analytics read opts in with `CachedHeavyRead` instead: after a commit its answer is kept
as stale, and while it is recomputed in the background every caller is served the stale one,
with `Age` (whole seconds since it was computed) and `X-Cache: stale`, as long as it is at most
`reads.stale_max_s` old; past that, or once its recomputation answered anything but a `200`, the
callers wait for a computation as for a missing answer.
What is kept is bounded in bytes (`reads.cache_max_bytes`, the bodies' and their keys' total):
the least recently used answers go first beyond it, and an answer over `MAX_BODY_BYTES` (a
replay report with its curves, say) is served and tagged but never kept: the callers that asked
while it was computed are served it too, so one computation serves them all.
Bootstrap keys are matched in memory; a stored key's role is learnt from the route's own
authentication and forgotten at the next commit (a revocation commits), stale answers included.
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Self

from fastapi import Depends, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.platform.core.config import Role
from app.platform.core.headers import CACHE, raw
from app.platform.core.log import bound
from app.platform.core.security import BootstrapKeyring, role_permits
from app.platform.http.accept import CSV, JSON, negotiate
from app.platform.http.caller import CALLER_KEY, Caller, resolve_caller
from app.platform.http.query_params import canonical_query
from app.platform.http.request_id import new_request_id
from app.platform.runtime.background import cancel_and_wait

logger = logging.getLogger(__name__)

Header = tuple[bytes, bytes]

CACHE_HEADER = raw(CACHE)
HIT: Header = (CACHE_HEADER, b"hit")
STALE: Header = (CACHE_HEADER, b"stale")
MAX_ENTRIES = 4096  # distinct paths and queries kept; the least recently used goes first
MAX_BYTES = 64 * 1024 * 1024  # the kept bodies' total, unless the settings say otherwise
MAX_BODY_BYTES = 1024 * 1024  # a larger answer is served but not kept
ROLE_KEY = "cached_read_role"  # request.state: the route's required role (it is cacheable)
STALE_KEY = "cached_read_stale"  # request.state: its answers may be served stale after a commit
PRINCIPAL_KEY = "principal_role"  # request.state: the role the route authenticated


GZIP_FROM_BYTES = 1400  # a smaller answer fits one packet as it is: not worth compressing
GZIP_LEVEL = 6  # zlib's default, paid once per answer computed
ACCEPT_ENCODING = b"Accept-Encoding"  # what a gzipped answer's two representations vary with
MEMO_BYTES = 128  # the longest Accept(-Encoding) memoised: callers send a few short ones
# Its own thread (zlib lets go of the GIL), so that no caller waits behind the default
# executor's work (a replay's arrays): 0.7 ms for 83 kB of JSON, 10 ms for 1 MB, idle Xeon core.
_COMPRESSOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="response-gzip")


@dataclass(frozen=True, slots=True)
class Representation:
    """A kept answer's bytes as sent, with a 200's own headers: content type and length, ETag,
    for a gzipped one its encoding (the ETag differs with it), and what it varies with."""

    body: bytes
    etag: bytes  # quoted, as sent
    head: tuple[Header, ...]

    @classmethod
    def of(
        cls,
        body: bytes,
        content_type: bytes,
        *,
        encoding: bytes | None = None,
        vary: tuple[bytes, ...] = (),
    ) -> Self:
        tag = hashlib.blake2b(body, digest_size=12).hexdigest().encode()
        etag = b'"' + tag + (b"-" + encoding if encoding else b"") + b'"'
        head = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
        head.append((b"etag", etag))
        if encoding is not None:
            head.append((b"content-encoding", encoding))
        if vary:
            head.append((b"vary", b", ".join(vary)))
        return cls(body, etag, tuple(head))


@dataclass(frozen=True, slots=True)
class Entry:
    plain: Representation
    gzipped: Representation | None  # for callers that accept gzip, when the answer is worth it
    role: Role  # what a caller needs to be served it
    may_stale: bool  # its route opted in to being served stale (`CachedHeavyRead`)
    generation: int
    stored_at: float  # on the cache's clock (monotonic seconds)

    @property
    def size(self) -> int:
        """The bytes it keeps, both representations."""
        return len(self.plain.body) + (len(self.gzipped.body) if self.gzipped else 0)

    def cost(self, key: bytes) -> int:
        """What keeping it under `key` counts against the cache's bytes: its bodies and key."""
        return self.size + len(key)

    def for_caller(self, scope: Scope) -> Representation:
        """What `scope`'s caller is sent: gzipped when it accepts that and there is one."""
        if self.gzipped is not None and accepts_gzip(scope):
            return self.gzipped
        return self.plain


async def representations(
    body: bytes, content_type: bytes, *, keepable: bool, vary: tuple[bytes, ...] = ()
) -> tuple[Representation, Representation | None]:
    """An answer's plain bytes, and gzipped when it may be kept and that pays (both then vary
    with `Accept-Encoding` too, beside what the route's answer `vary`s with)."""
    if not keepable or not GZIP_FROM_BYTES <= len(body) <= MAX_BODY_BYTES:
        return Representation.of(body, content_type, vary=vary), None
    compress = functools.partial(gzip.compress, body, GZIP_LEVEL, mtime=0)
    gzipped = await asyncio.get_running_loop().run_in_executor(_COMPRESSOR, compress)
    if len(gzipped) >= len(body):
        return Representation.of(body, content_type, vary=vary), None
    vary = (*vary, ACCEPT_ENCODING)
    return (
        Representation.of(body, content_type, vary=vary),
        Representation.of(gzipped, content_type, encoding=b"gzip", vary=vary),
    )


@dataclass(slots=True)
class Found:
    """What the cache makes of a request: an answer to send, or a computation to run."""

    entry: Entry | None = None  # send this
    age_s: int | None = None  # ... as a stale answer this old (whole seconds)
    computing: asyncio.Future[Entry | None] | None = None  # compute, for the waiting callers too
    refresh: asyncio.Future[Entry | None] | None = None  # ... and recompute it in the background


class ResponseCache:
    """Cached read answers and known key roles of this replica, valid for one generation (the
    answers of routes that opted in stay servable stale for `stale_s` more)."""

    def __init__(
        self,
        ttl_s: float,
        *,
        single_process: bool,
        max_bytes: int = MAX_BYTES,
        keyring: BootstrapKeyring | None = None,
        open_reads: bool = False,
        stale_s: float = 0.0,
        refresh_ahead_s: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_s = ttl_s
        self.single_process = single_process  # SQLite: every write is this process's own
        self.max_bytes = max_bytes
        self.keyring = keyring  # the bootstrap keys, matched without the database
        self.open_reads = open_reads  # a caller without a key may read
        self.stale_s = stale_s  # the oldest answer served stale
        self.refresh_from_s = ttl_s - refresh_ahead_s  # an answer this old is refreshed on a hit
        self.clock = clock
        self.listening = False
        self.generation = 0
        self.bytes = 0  # the kept bodies' and keys' total, stale ones included
        self._entries: OrderedDict[bytes, Entry] = OrderedDict()  # least recently used first
        self._stale: OrderedDict[bytes, Entry] = OrderedDict()  # earlier generations' (may_stale)
        self._roles: dict[str, Role] = {}  # stored keys' hashes
        self._pending: dict[bytes, asyncio.Future[Entry | None]] = {}
        self._refreshing: set[asyncio.Task[None]] = set()

    @property
    def active(self) -> bool:
        return self.ttl_s > 0 and (self.listening or self.single_process)

    def invalidate(self, *, keep_stale: bool = True) -> None:
        """A commit: every answer is out of date, and every stored key's role unknown. The
        answers that may be served stale are kept as such while young enough."""
        self.generation += 1
        stale: OrderedDict[bytes, Entry] = OrderedDict()
        if keep_stale and self.stale_s > 0:
            oldest = self.clock() - self.stale_s
            for key, entry in (*self._stale.items(), *self._entries.items()):
                if entry.may_stale and entry.stored_at >= oldest:
                    stale.pop(key, None)
                    stale[key] = entry
        self._entries.clear()
        self._stale = stale
        self.bytes = sum(entry.cost(key) for key, entry in stale.items())
        self._roles.clear()

    def set_listening(self, listening: bool) -> None:
        """Whether this replica hears the others' commits: what it kept is unknown either way."""
        self.listening = listening
        self.invalidate(keep_stale=False)

    def __len__(self) -> int:
        return len(self._entries) + len(self._stale)

    async def find(self, key: bytes, caller: Caller) -> Found:
        """The answer `caller` is served for `key`, or what to compute: a kept answer near its
        time limit is served and refreshed in the background, a stale one served while it is
        recomputed there; while a caller computes a missing answer the others wait for it; a
        caller that may not read a kept answer computes its own (the route decides)."""
        now = self.clock()
        entry = self._entries.get(key)
        pending = self._pending.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
            age = now - entry.stored_at
            if (age < self.ttl_s or pending is not None) and self.may_read(caller, entry.role):
                ahead = pending is None and age >= self.refresh_from_s
                return Found(entry, refresh=self.begin(key) if ahead else None)
            return Found() if pending is not None else Found(computing=self.begin(key))
        stale = self._servable_stale(key, now)
        if stale is not None:  # served, or the route decides: waiting would not tell
            if not self.may_read(caller, stale.role):
                return Found()
            refresh = self.begin(key) if pending is None else None
            return Found(stale, age_s=int(now - stale.stored_at), refresh=refresh)
        if pending is None:
            return Found(computing=self.begin(key))
        entry = await asyncio.shield(pending)  # one computes, the others wait
        if entry is not None and self.may_read(caller, entry.role):
            return Found(entry)
        return Found()

    def _servable_stale(self, key: bytes, now: float) -> Entry | None:
        entry = self._stale.get(key)
        if entry is not None and now - entry.stored_at > self.stale_s:
            self._drop_stale(key)
            return None
        return entry

    def may_read(self, caller: Caller, required: Role) -> bool:
        """A key known to hold a role that `role_permits` (a bootstrap key, or a stored one the
        routes have authenticated this generation), or no key where reads are open; else the
        route decides (as it does for a caller presenting different keys: it refuses them)."""
        if caller.conflicting:
            return False
        if caller.key_hash is None:
            return role_permits(None, required, open_reads=self.open_reads)
        role = caller.bootstrap_role
        if role is None:
            role = self._roles.get(caller.key_hash)
        return role is not None and role_permits(role, required, open_reads=self.open_reads)

    def store(self, key: bytes, entry: Entry) -> bool:
        """Keep `entry` unless a commit came while it was computed or it is too large to keep;
        whether it was kept. The stale answers, then the least recently used, make room."""
        size = entry.cost(key)
        too_large = len(entry.plain.body) > MAX_BODY_BYTES or size > self.max_bytes
        if entry.generation != self.generation or too_large:
            return False
        self._drop(key)
        self._drop_stale(key)
        self._entries[key] = entry
        self.bytes += size
        # Queries are the callers' to vary, answers can be large: bounded in number and bytes.
        while self._stale and (self._over_bound() or len(self._stale) > MAX_ENTRIES):
            self._drop_stale(next(iter(self._stale)))
        while self._over_bound():
            self._drop(next(iter(self._entries)))
        return True

    def _over_bound(self) -> bool:
        return len(self._entries) > MAX_ENTRIES or self.bytes > self.max_bytes

    def _drop(self, key: bytes) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self.bytes -= entry.cost(key)

    def _drop_stale(self, key: bytes) -> None:
        entry = self._stale.pop(key, None)
        if entry is not None:
            self.bytes -= entry.cost(key)

    def begin(self, key: bytes) -> asyncio.Future[Entry | None]:
        future: asyncio.Future[Entry | None] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        return future

    def end(
        self,
        key: bytes,
        entry: Entry | None,
        future: asyncio.Future[Entry | None],
        *,
        answered: bool,
    ) -> None:
        """Hand `entry` (None: nothing kept) to the callers waiting on `future`, once. An
        answer that was no cacheable `200` (`answered` False) ends the stale one's service."""
        if self._pending.get(key) is future:
            del self._pending[key]
        if not answered:
            self._drop_stale(key)
        if not future.done():
            future.set_result(entry)

    def learn_role(self, key_hash: str, role: Role, generation: int) -> None:
        if generation == self.generation:
            self._roles[key_hash] = role

    async def answer(
        self, scope: Scope, receive: Receive, send: Send, app: ASGIApp, caller: Caller
    ) -> None:
        """Answer a `GET` from the cache, or through `app`, keeping its answer when it may."""
        key = request_key(scope)
        found = await self.find(key, caller)
        if found.entry is not None:
            if found.refresh is not None:  # started first: it must end what find began
                self.refresh(scope, app, key, caller, found.refresh)
            for message in entry_messages(scope, found.entry, found.age_s):
                await send(message)
        else:
            await self.compute(scope, receive, send, app, key, caller, found.computing)

    def refresh(
        self,
        scope: Scope,
        app: ASGIApp,
        key: bytes,
        caller: Caller,
        refreshing: asyncio.Future[Entry | None],
    ) -> None:
        """Recompute `key`'s answer through `app` in the background, as `caller` asked for it
        in `scope` (which is served the kept answer), and keep it when it may; `refreshing`
        (what `find` began) ends with it."""
        request_id = new_request_id()
        state = {**scope.get("state", {}), "request_id": request_id, CALLER_KEY: caller}
        own = {**scope, "state": state}

        async def recompute() -> None:
            with bound(request_id=request_id):
                try:
                    await self.compute(own, _no_body(), _discard, app, key, caller, refreshing)
                except Exception:  # the kept answer stays until its limit; the next caller tries
                    logger.exception("response cache: refreshing %s failed", scope["path"])

        task = asyncio.create_task(recompute(), name=f"response-cache-refresh-{request_id}")
        self._refreshing.add(task)
        task.add_done_callback(self._refreshing.discard)
        # Ended even if the task never ran (cancelled at once): no caller waits on it for ever.
        task.add_done_callback(lambda _: self.end(key, None, refreshing, answered=True))

    async def settled(self) -> None:
        """Wait until the refreshes under way have ended."""
        await asyncio.gather(*self._refreshing)

    async def close(self) -> None:
        """Stop the refreshes still running (the service is stopping)."""
        for task in list(self._refreshing):
            await cancel_and_wait(task)

    async def compute(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        app: ASGIApp,
        key: bytes,
        caller: Caller,
        computing: asyncio.Future[Entry | None] | None,
    ) -> None:
        """Answer through `app`, keeping a cacheable answer (and handing it to the callers
        waiting on `computing`)."""
        capture = _Capture(scope, send, self, key, caller, computing)
        try:
            await app(scope, receive, capture.send)
        finally:
            capture.release()


def cached_read(required: Role, *, stale: bool = False) -> Any:
    """A route dependency: the route's `200` answers may be cached for `required` callers (and,
    with `stale`, served stale after a commit while one caller recomputes them)."""

    async def mark(request: Request) -> None:
        setattr(request.state, ROLE_KEY, required)
        setattr(request.state, STALE_KEY, stale)

    return Depends(mark)


CachedRead = cached_read(Role.READ)
CachedAdminRead = cached_read(Role.ADMIN)
CachedHeavyRead = cached_read(Role.READ, stale=True)
"""For heavy analytics (correlation, risk metrics): informative answers that change little from
one commit to the next and cost a recomputation each; never for what a client acts on at once
(weights, the pairlist, position sizes)."""


def remember_role(request: Request, role: Role) -> None:
    """Called by authentication: the role the presented key holds."""
    setattr(request.state, PRINCIPAL_KEY, role)


def request_key(scope: Scope) -> bytes:
    """The cache's key of a request: its path, its query in one order and the media type its
    `Accept` negotiates (`app.platform.http.accept`: a few bytes, whatever the caller sends)."""
    path: str = scope["path"]
    query = canonical_query(scope["query_string"])  # declared parameters only (else a 422)
    return path.encode() + b"?" + query + _accept(scope)


class ResponseCacheMiddleware:
    """The response cache as a middleware of its own, for an app without the protection layer
    (`app.platform.http.protection`, which answers from the cache itself)."""

    def __init__(self, app: ASGIApp, cache: ResponseCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not self.cache.active:
            await self.app(scope, receive, send)
            return
        caller = resolve_caller(scope, self.cache.keyring)
        await self.cache.answer(scope, receive, send, self.app, caller)


class _Capture:
    """Passes an answer through; a cacheable `200` is buffered, tagged, kept and sent (or
    answered `304` when the caller already has it)."""

    def __init__(
        self,
        scope: Scope,
        send: Send,
        cache: ResponseCache,
        key: bytes,
        caller: Caller,
        computing: asyncio.Future[Entry | None] | None = None,
    ) -> None:
        self.scope, self._send, self.cache, self.key = scope, send, cache, key
        self.caller = caller
        self.computing = computing  # set when the callers of the same key wait for this one
        self.generation = cache.generation  # before the route reads anything
        self.start: Message | None = None
        self.chunks: list[bytes] = []
        self.shared: Entry | None = None  # the answer, when it was cacheable and current

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            request_state = self.scope.get("state", {})
            self._learn_role(request_state)
            if message["status"] == 200 and ROLE_KEY in request_state:
                self.start = message
                return
            # Not cacheable (an error, or a route such as the event stream that never ends):
            # the waiting callers compute their own answers now, not when this one is over.
            self.release(answered=False)
        elif self.start is not None and message["type"] == "http.response.body":
            self.chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                await self._finish()
            return
        await self._send(message)

    def release(self, *, answered: bool = True) -> None:
        if self.computing is not None:
            self.cache.end(self.key, self.shared, self.computing, answered=answered)
            self.computing = None

    def _learn_role(self, request_state: dict[str, Any]) -> None:
        role = request_state.get(PRINCIPAL_KEY)
        if role is not None and self.caller.key_hash is not None:
            self.cache.learn_role(self.caller.key_hash, role, self.generation)

    async def _finish(self) -> None:
        assert self.start is not None
        body = b"".join(self.chunks)
        passed = [(k, v) for k, v in self.start["headers"] if k != b"content-length"]
        content_type = dict(passed).get(b"content-type", b"application/json")
        vary = tuple(v for k, v in passed if k == b"vary")  # kept with it: hits send it too
        current = self.generation == self.cache.generation  # else it is not kept
        plain, gzipped = await representations(body, content_type, keepable=current, vary=vary)
        state = self.scope["state"]
        entry = Entry(
            plain=plain,
            gzipped=gzipped,
            role=state[ROLE_KEY],
            may_stale=state.get(STALE_KEY, False),
            generation=self.generation,
            stored_at=self.cache.clock(),
        )
        # Kept when it fits; handed to the callers waiting for it even when too large to keep.
        if self.cache.store(self.key, entry) or entry.generation == self.cache.generation:
            self.shared = entry
        sent = entry.for_caller(self.scope)
        own = [(k, v) for k, v in passed if k not in _KEPT_HEADERS]  # the route's other headers
        if _not_modified(self.scope, sent.etag):
            etag_and_vary = [(k, v) for k, v in sent.head if k in _NOT_MODIFIED_HEADERS]
            await self._send(
                {"type": "http.response.start", "status": 304, "headers": [*own, *etag_and_vary]}
            )
            await self._send({"type": "http.response.body", "body": b""})
            return
        await self._send(
            {"type": "http.response.start", "status": 200, "headers": [*own, *sent.head]}
        )
        await self._send({"type": "http.response.body", "body": sent.body})


def _no_body() -> Receive:
    """A refresh's `receive`: a `GET`'s empty body, then the caller gone."""
    messages = iter(({"type": "http.request", "body": b"", "more_body": False},))

    async def receive() -> Message:
        return next(messages, {"type": "http.disconnect"})

    return receive


async def _discard(_message: Message) -> None:
    """A refresh's `send`: its answer is kept, not sent."""


def entry_messages(scope: Scope, entry: Entry, age_s: int | None = None) -> tuple[Message, Message]:
    """A kept answer's start and body, gzipped for a caller that accepts it: `X-Cache: hit`, or
    `stale` with its `Age`; `304` when the caller already has it."""
    tags = [HIT] if age_s is None else [STALE, (b"age", str(age_s).encode())]
    sent = entry.for_caller(scope)
    if _not_modified(scope, sent.etag):
        headers = [(k, v) for k, v in sent.head if k in _NOT_MODIFIED_HEADERS]
        start = {"type": "http.response.start", "status": 304, "headers": [*headers, *tags]}
        return start, {"type": "http.response.body", "body": b""}
    start = {"type": "http.response.start", "status": 200, "headers": [*sent.head, *tags]}
    return start, {"type": "http.response.body", "body": sent.body}


_NOT_MODIFIED_HEADERS = frozenset((b"etag", b"vary"))  # what a 304 repeats of the 200's head
_KEPT_HEADERS = frozenset((b"content-type", b"vary"))  # a route's, in its representations' heads


def _not_modified(scope: Scope, etag: bytes) -> bool:
    """Whether the caller holds the representation it would be sent (RFC 9110, 13.1.2)."""
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            tags = {t.strip().removeprefix(b"W/") for t in value.split(b",")}
            return etag in tags or b"*" in tags
    return False


def accepts_gzip(scope: Scope) -> bool:
    """Whether the caller's `Accept-Encoding` (its lines as one list) takes gzip."""
    values = [value for name, value in scope["headers"] if name == b"accept-encoding"]
    if not values:
        return False
    accept_encoding = b",".join(values)
    if len(accept_encoding) > MEMO_BYTES:
        return takes_gzip(accept_encoding)
    return _takes_gzip_memo(accept_encoding)


def takes_gzip(accept_encoding: bytes) -> bool:
    """gzip named (or `x-gzip`), else `*`, with a quality above 0 (RFC 9110, 12.5.3)."""
    qualities: dict[bytes, float] = {}
    for item in accept_encoding.lower().split(b","):
        coding, _, params = item.partition(b";")
        qualities[coding.strip()] = _quality(params)
    named = qualities.get(b"gzip", qualities.get(b"x-gzip"))
    return (named if named is not None else qualities.get(b"*", 0.0)) > 0


_takes_gzip_memo = functools.lru_cache(maxsize=256)(takes_gzip)  # each value read once


def _quality(params: bytes) -> float:
    """A coding's `q` (1 when absent; a malformed one counts as absent)."""
    for param in params.split(b";"):
        key, _, value = param.partition(b"=")
        if key.strip() == b"q":
            try:
                return float(value.strip())
            except ValueError:
                return 1.0
    return 1.0


def _accept(scope: Scope) -> bytes:
    """The key's part for `Accept`: the media type it negotiates (CSV, JSON and no part, or
    neither: the route's 406, never kept), so that every value a caller may send shares one of
    three keys and the key keeps none of it."""
    values = [value for name, value in scope["headers"] if name == b"accept"]
    if not values:
        return b""
    accept = b",".join(values)
    if len(accept) > MEMO_BYTES:
        return _accept_part(accept)
    return _accept_part_memo(accept)


def _accept_part(accept: bytes) -> bytes:
    chosen = negotiate([accept.decode("latin-1")], (JSON, CSV))
    return b"" if chosen == JSON else b"#csv" if chosen == CSV else b"#none"


_accept_part_memo = functools.lru_cache(maxsize=256)(_accept_part)  # each value read once
