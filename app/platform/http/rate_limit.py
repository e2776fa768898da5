"""Per-caller limits of this replica: a token bucket per caller for reads, for heavy analytics
reads and for writes, answered `429` problem+json with `Retry-After` when spent.

A caller is its API key (its hash) once the key is known to be valid: a bootstrap key, or a
stored key a route has authenticated. Anything else (no key, or a key never seen to work) is
its client address, so rotating made-up keys buys nothing. A key a replica has not seen yet
is looked up in the database when its address bucket is spent (`CallerLimits.recognised`), so a
stored key is never refused for its neighbours' flood: only then, so a hit costs nothing, and
within a budget of lookups a second with a memory of the keys found unknown, so made-up keys
cannot turn a flood into database load. Reads and writes are taken at the edge
(`CallerLimits.admit`, called by the protection layer before the response cache: a flood of
cached answers still costs the event loop); a heavy read is taken only when it is computed
(`charge_heavy`, by the route's guard after a cache miss: `app.platform.http.route_guard`). Each
kind keeps at most `max_callers` buckets, forgetting the least recently used and any that has
refilled (an idle caller): O(1) per request, bounded memory however many keys or addresses come and
go. Every limit is per replica (docs/operations.md, "Limits and abuse").
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from starlette.types import Scope

from app.platform.core.environment_sections import LimitsEnvironment
from app.platform.core.errors import TooManyRequestsError
from app.platform.core.security import BootstrapKeyring, hash_key, presented_key, public_id_of
from app.platform.http.cache_capture import PRINCIPAL_KEY
from app.platform.http.caller import Caller, caller_of
from app.platform.http.stream_cap import StreamSlots

logger = logging.getLogger(__name__)

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# operation ids: analytics, and the answers that grow with history (the timelines; a replay's
# report, taken by its route once there is one: `charge_heavy`)
HEAVY_ROUTES = frozenset(
    {"get_correlation", "get_portfolio_metrics", "get_timeline", "get_replay_timeline"}
)
HEAVY_WEIGHT_METHODS = frozenset({"hrp", "risk_parity"})  # of `GET /portfolio/weights?method=`
UNKNOWN_KEY_TTL_S = 60.0  # a key found unknown is not looked up again for this long

KeyCheck = Callable[[str], Awaitable[bool]]
"""Whether a presented key is a stored key that authenticates (read-only)."""


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float  # when `tokens` was last brought up to date (monotonic seconds)


class TokenBuckets:
    """One kind's buckets by caller: `rate` tokens a second up to `burst`, one per request."""

    def __init__(
        self,
        kind: str,
        rate: float,
        burst: int,
        max_callers: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.kind, self.rate, self.burst = kind, rate, burst
        self.max_callers = max_callers
        self.clock = clock
        self.refill_s = burst / rate  # an untouched bucket is full again after this
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()  # least recently used first

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, caller: str) -> float:
        """0 when `caller` may go on (a token is taken), else the seconds until it may."""
        now = self.clock()
        bucket = self._buckets.get(caller)
        if bucket is None:
            bucket = self._buckets[caller] = _Bucket(float(self.burst), now)
            self._forget(now)
        else:
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
            bucket.at = now
            self._buckets.move_to_end(caller)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self.rate

    def _forget(self, now: float) -> None:
        """Drop the oldest buckets while there are too many or they are full again (forgetting
        a full bucket changes nothing): each is dropped once, so O(1) per request amortised."""
        buckets = self._buckets
        while buckets:
            caller, oldest = next(iter(buckets.items()))
            if len(buckets) <= self.max_callers and now - oldest.at < self.refill_s:
                return
            del buckets[caller]


class CallerLimits:
    """This replica's buckets and the stored keys it has seen authenticated."""

    def __init__(self, environment: LimitsEnvironment, keyring: BootstrapKeyring) -> None:
        self.environment = environment
        self.keyring = keyring
        size = environment.max_callers
        self.reads = TokenBuckets("read", environment.read_per_s, environment.read_burst, size)
        self.heavy = TokenBuckets("heavy", environment.heavy_per_s, environment.heavy_burst, size)
        self.writes = TokenBuckets("write", environment.write_per_s, environment.write_burst, size)
        self.streams = StreamSlots(environment.streams_per_key, environment.streams_per_process)
        self.lookups = TokenBuckets(
            "key lookup", environment.key_lookups_per_s, environment.key_lookups_burst, 1
        )
        self.check_key: KeyCheck | None = None
        """Set once the database is there (the app's lifespan)."""
        self._valid: OrderedDict[str, None] = OrderedDict()  # stored keys' hashes, bounded
        self._unknown: OrderedDict[str, float] = OrderedDict()  # hash: looked up until then
        self._looking: dict[str, asyncio.Future[bool]] = {}  # one lookup per key at a time

    def caller(self, scope: Scope) -> str:
        """`key:<hash>` for a key known to be valid, else `address:<client address>`."""
        return self.identity(caller_of(scope, self.keyring))

    def identity(self, caller: Caller) -> str:
        """`caller`'s buckets: its key's once the key is known to be valid, else its address's."""
        if caller.key_hash is not None and self.known(caller):
            return "key:" + caller.key_hash
        return "address:" + caller.address

    def known(self, caller: Caller) -> bool:
        """Whether `caller` presents a key known to be valid (a bootstrap key, or a stored key
        seen to authenticate)."""
        return caller.bootstrap_role is not None or (
            caller.key_hash is not None and caller.key_hash in self._valid
        )

    def authenticated(self, scope: Scope) -> str:
        """The caller of a request whose key (if any) the route has authenticated."""
        presented = presented_key(scope["headers"])
        if presented:
            self.learn_valid(presented)
        return self.caller(scope)

    async def admit(self, method: str, caller: Caller) -> TooManyRequestsError | None:
        """Take a read or write token for a request of `caller`; the 429 when its bucket is
        spent. A key this replica has not seen is looked up first when its address bucket is
        spent (`recognised`): a stored key is then limited on its own."""
        buckets = self.reads if method in READ_METHODS else self.writes
        wait_s = buckets.take(self.identity(caller))
        presented = caller.presented
        if wait_s and presented and not self.known(caller) and await self.recognised(presented):
            wait_s = buckets.take(self.identity(caller))
        return too_many(buckets, wait_s) if wait_s else None

    def charge_heavy(self, scope: Scope) -> None:
        """Take a token of the caller's heavy bucket for a heavy read about to be computed;
        TooManyRequestsError (429) when it is spent."""
        wait_s = self.heavy.take(self.identity(caller_of(scope, self.keyring)))
        if wait_s:
            raise too_many(self.heavy, wait_s)

    def route_authenticated(self, caller: Caller, request_state: Mapping[str, Any]) -> None:
        """At the answer's start: a key the route authenticated (it recorded the key's role)
        has buckets of its own from now on."""
        if caller.presented and PRINCIPAL_KEY in request_state and not self.known(caller):
            self.learn_valid(caller.presented)

    def learn_valid(self, presented: str) -> None:
        """A route authenticated `presented`: from now on it has buckets of its own."""
        key_hash = hash_key(presented)
        self._valid[key_hash] = None
        self._valid.move_to_end(key_hash)
        while len(self._valid) > self.environment.max_callers:
            self._valid.popitem(last=False)

    async def recognised(self, presented: str) -> bool:
        """Whether `presented` is a stored key that authenticates, looked up now (it is then
        known valid): for a caller its address bucket would refuse. False without a lookup for
        a string not shaped like a generated key, a key found unknown in the last minute, or
        when this second's lookups are spent; False too when the database cannot tell."""
        if self.check_key is None or public_id_of(presented) is None:
            return False
        key_hash = hash_key(presented)
        now = time.monotonic()
        if self._unknown.get(key_hash, now) > now:
            return False
        looking = self._looking.get(key_hash)
        if looking is not None:
            return await asyncio.shield(looking)
        if self.lookups.take("all"):
            return False
        looking = self._looking[key_hash] = asyncio.get_running_loop().create_future()
        valid: bool | None = None
        try:
            valid = await self.check_key(presented)
        except Exception:  # the database is down: the address bucket stands, for now
            logger.warning("limits: a key not looked up", exc_info=True)
        finally:
            del self._looking[key_hash]
            looking.set_result(bool(valid))
        if valid:
            self.learn_valid(presented)
        elif valid is not None:
            self._remember_unknown(key_hash, now + UNKNOWN_KEY_TTL_S)
        return bool(valid)

    def _remember_unknown(self, key_hash: str, until: float) -> None:
        self._unknown[key_hash] = until
        self._unknown.move_to_end(key_hash)
        while len(self._unknown) > self.environment.max_callers:
            self._unknown.popitem(last=False)


def too_many(buckets: TokenBuckets, wait_s: float) -> TooManyRequestsError:
    """The 429 for a spent bucket; `Retry-After` rounded up to whole seconds (at least 1)."""
    retry = max(1, math.ceil(wait_s))
    return TooManyRequestsError(
        f"This caller's {buckets.kind} limit on this replica ({buckets.rate:g} a second, "
        f"{buckets.burst} at once) is spent; retry after {retry} s.",
        retry_after_s=retry,
        extra={"limit": buckets.kind},
    )


def is_heavy(route_name: str | None, method: str | None, window: str | None, limit: int) -> bool:
    """A heavy analytics read: correlation, risk metrics, HRP or risk-parity (equal risk
    contribution) weights, or any `window` longer than `limit` hours."""
    if route_name in HEAVY_ROUTES:
        return True
    if route_name == "get_weights" and method in HEAVY_WEIGHT_METHODS:
        return True
    return window is not None and window.isdigit() and int(window) > limit


def heavy_by_query(route_name: str, declared: frozenset[str]) -> bool | None:
    """Whether a route's reads are heavy, decided once per route: True always, False never,
    None by each request's query (`is_heavy`: its `method`, its `window`)."""
    if route_name in HEAVY_ROUTES:
        return True
    if (route_name == "get_weights" and "method" in declared) or "window" in declared:
        return None
    return False


def charge_heavy(request: Request) -> None:
    """Take a token of the caller's heavy bucket for this request (429 when spent): for a route
    whose answer is heavy only sometimes, once it knows."""
    limits: CallerLimits | None = getattr(request.app.state, "caller_limits", None)
    if limits is not None:
        limits.charge_heavy(request.scope)
