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
Its parts: what is kept (`app.platform.http.cache_entries`), under which key
(`app.platform.http.cache_keys`), and an answer's way out, captured or sent again
(`app.platform.http.cache_capture`); here the cache itself and the routes' markers.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from fastapi import Depends, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from app.platform.core.environment import Role
from app.platform.core.log import bound
from app.platform.core.security import BootstrapKeyring, role_permits
from app.platform.http.cache_capture import (
    PRINCIPAL_KEY,
    ROLE_KEY,
    STALE_KEY,
    Capture,
    discard,
    entry_messages,
    no_body,
)
from app.platform.http.cache_entries import MAX_BODY_BYTES, Entry, Found
from app.platform.http.cache_keys import request_key
from app.platform.http.caller import CALLER_KEY, Caller
from app.platform.http.request_id import new_request_id
from app.platform.runtime.background import cancel_and_wait

logger = logging.getLogger(__name__)

MAX_ENTRIES = 4096  # distinct paths and queries kept; the least recently used goes first
MAX_BYTES = 64 * 1024 * 1024  # the kept bodies' total, unless the environment says otherwise


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
                    await self.compute(own, no_body(), discard, app, key, caller, refreshing)
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
        capture = Capture(scope, send, self, key, caller, computing)
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
