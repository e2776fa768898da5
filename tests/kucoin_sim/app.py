"""KucoinSimulator: an aiohttp server on 127.0.0.1 speaking KuCoin's futures public API."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.kucoin_sim.clock import SimClock
from tests.kucoin_sim.config import SimConfig
from tests.kucoin_sim.faults import (
    MAINTENANCE_503,
    MAINTENANCE_STATUS,
    Faults,
    malformed,
    strip_field,
)
from tests.kucoin_sim.market import Market
from tests.kucoin_sim.ratelimit import NO_HEADERS, WEIGHTS, RateLimiter
from tests.kucoin_sim.rest import (
    DEPTH_NOT_EXIST,
    DEPTHS,
    NO_AUTH,
    NOT_FOUND,
    PRIVATE_PATHS,
    Handlers,
    match,
)
from tests.kucoin_sim.ws import WsHub

HOST = "127.0.0.1"
CLIENT_GONE = 499
ANNOUNCE_HEADER = "X-Exchange-Simulator"
"""On every REST answer, so a client can tell it is not talking to KuCoin (which never sends it)."""
CONTROL_PREFIX = "/_sim"
"""`POST /_sim/hold` and `/_sim/release`: `hold()` and `release()` for a simulator run as a
process (`--controls`); KuCoin has no such path."""


@dataclass(frozen=True)
class RequestRecord:
    """One REST request as the simulator saw it."""

    method: str
    path: str
    query: dict[str, str]
    weight: int
    status: int
    at: float  # time.monotonic() when it arrived
    sim_ms: int = 0  # simulator clock when it arrived


class KucoinSimulator:
    """The test double: `await sim.start()` -> base URL; faults, clock and records are live."""

    def __init__(self, config: SimConfig | None = None, **overrides: Any) -> None:
        """Build the market now (CSV parsing happens here, once per process)."""
        base = config or SimConfig()
        self.config = dataclasses.replace(base, **overrides) if overrides else base
        self.clock = SimClock(self.config.start_time_ms)
        self.market = Market(self.config, self.clock)
        self.faults = Faults()
        self.limiter = RateLimiter(self.config.quota, self.config.quota_window_s)
        self.ws = WsHub(self)
        self.handlers = Handlers(self)
        self.requests: list[RequestRecord] = []
        self.base_url = ""
        self.port = 0
        self.host = HOST
        self._runner: web.AppRunner | None = None
        self._stopping = asyncio.Event()
        self._answering = asyncio.Event()
        self._answering.set()

    # ---- lifecycle --------------------------------------------------------------------
    async def start(self, port: int = 0, host: str = HOST, *, controls: bool = False) -> str:
        """Listen on `host`:`port` (0 = any free port) and return the base URL; with `controls`,
        `hold` and `release` answer under `CONTROL_PREFIX`."""
        app = web.Application()
        app.router.add_get("/ws", self.ws.handle)
        app.router.add_get("/ws/", self.ws.handle)
        if controls:
            app.router.add_post(f"{CONTROL_PREFIX}/hold", self._control(self.hold))
            app.router.add_post(f"{CONTROL_PREFIX}/release", self._control(self.release))
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._stopping = asyncio.Event()
        runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        self.host = host
        self.base_url = f"http://{host}:{self.port}"
        return self.base_url

    async def stop(self) -> None:
        """Wake injected sleeps, close WebSockets, stop listening."""
        self._stopping.set()
        if self._runner is not None:
            await self.ws.close_all()
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> KucoinSimulator:
        """`async with KucoinSimulator() as sim:` starts on a free port."""
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Stop on exit."""
        await self.stop()

    @property
    def ws_endpoint(self) -> str:
        """What bullet-public hands out."""
        return f"ws://{self.host}:{self.port}/ws"

    # ---- test controls ----------------------------------------------------------------
    def delist(self, symbol: str, status: str | None = None) -> None:
        """Take `symbol` off the market; with `status` ("Closed", "Paused") its row stays."""
        self.market.delist(symbol, status)

    def relist(self, symbol: str) -> None:
        """Undo `delist`."""
        self.market.relist(symbol)

    def drop_candles(self, symbol: str, start_ms: int, end_ms: int) -> None:
        """KuCoin leaves out candles of untraded buckets: omit those opening in [start, end]."""
        self.market.drop_candles(symbol, start_ms, end_ms)

    def hold(self) -> None:
        """REST requests arriving from now on wait, unanswered, until `release()` (or `stop()`):
        a caller's fetch stays in flight for as long as a test needs it to."""
        self._answering.clear()

    def release(self) -> None:
        """Answer the held requests and those that follow."""
        self._answering.set()

    @staticmethod
    def _control(
        action: Callable[[], None],
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def handle(_: web.Request) -> web.StreamResponse:
            action()
            return web.Response(status=204)

        return handle

    def ws_drop(self) -> int:
        """Abruptly cut every WebSocket (no close frame); returns how many were cut."""
        return self.ws.drop_all()

    def ws_mute(self) -> int:
        """Silence every open WebSocket without closing it; returns how many were muted."""
        return self.ws.mute_all()

    def ws_delay_welcome(self, seconds: float) -> None:
        """Hold the welcome back for `seconds` on later connections (0 = send it at once)."""
        self.ws.welcome_delay_s = seconds

    def expire_tokens(self) -> None:
        """Invalidate every token issued so far; new connections with them are refused."""
        self.ws.expire_tokens()

    def set_quota(self, quota: int | None = None, window_s: float | None = None) -> None:
        """Change the pool and start a fresh window."""
        if quota is not None:
            self.config.quota = quota
        if window_s is not None:
            self.config.quota_window_s = window_s
        self.limiter.reset(quota, window_s)

    def reset_requests(self) -> None:
        """Forget recorded requests."""
        self.requests.clear()

    def count(self, path_prefix: str = "") -> int:
        """Recorded requests whose path starts with `path_prefix`."""
        return sum(1 for r in self.requests if r.path.startswith(path_prefix))

    def counts(self) -> Counter[str]:
        """Recorded requests per path."""
        return Counter(r.path for r in self.requests)

    # ---- dispatch ---------------------------------------------------------------------
    async def _sleep(self, seconds: float) -> None:
        """Sleep, but return at once when the simulator stops."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)

    async def _held(self) -> None:
        """Wait for `release()`, or for the simulator to stop."""
        released = asyncio.ensure_future(self._answering.wait())
        stopping = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait((released, stopping), return_when=asyncio.FIRST_COMPLETED)
        finally:
            released.cancel()
            stopping.cancel()

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        """Latency, faults, quota, handler; every request recorded with its final status."""
        path, query = request.path, dict(request.query)
        arrived, sim_ms = time.monotonic(), self.clock.now_ms()
        weight, status = 0, CLIENT_GONE
        try:
            response, weight = await self._respond(request.method, path, query)
            response.headers[ANNOUNCE_HEADER] = "kucoin_sim"
            status = response.status
            return response
        finally:
            record = RequestRecord(request.method, path, query, weight, status, arrived, sim_ms)
            self.requests.append(record)

    async def _respond(
        self, method: str, path: str, query: dict[str, str]
    ) -> tuple[web.Response, int]:
        """The reply and the weight charged for it."""
        if not self._answering.is_set():
            await self._held()
        if self.config.latency_ms > 0:
            await self._sleep(self.config.latency_ms / 1000)
        found = match(method, path)
        if found is None:
            if method == "GET" and path.rstrip("/") in PRIVATE_PATHS:
                return _json(400, NO_AUTH), 0
            return _json(404, NOT_FOUND), 0
        route, params = found
        if route.name == "level2_depth" and params["depth"] not in DEPTHS:
            return _json(404, DEPTH_NOT_EXIST), 0
        for name in ("timeout", "slow"):
            fault = self.faults.take(name, path)
            if fault is not None:
                await self._sleep(fault.seconds)
        maintenance = self.faults.take("maintenance", path) is not None
        if maintenance and route.name != "status":
            return _json(503, MAINTENANCE_503), 0
        fault = self.faults.take("http_500", path)
        if fault is not None:
            status, ctype, text = self.faults.server_error(fault)
            return web.Response(status=status, text=text, content_type=ctype), 0
        weight = WEIGHTS[route.name]
        verdict = self.limiter.charge(weight)
        headers = {} if route.name in NO_HEADERS else verdict.headers
        if not verdict.allowed:
            return _json(429, {"code": "429000", "msg": "Too Many Requests"}, verdict.headers), 0
        status, body = self.handlers.get(route.name)(params, query)
        if maintenance:
            body = {"code": "200000", "data": MAINTENANCE_STATUS}
        if status == 200 and body.get("code") == "200000":
            if self.faults.take("malformed_json", path) is not None:
                text = malformed(json.dumps(body, separators=(",", ":")))
                return web.Response(
                    text=text, content_type="application/json", headers=headers
                ), weight
            fault = self.faults.take("missing_field", path)
            if fault is not None:
                body = strip_field(body, fault.field)
        return _json(status, body, headers), weight


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
    """Compact JSON reply."""
    text = json.dumps(body, separators=(",", ":"))
    return web.Response(status=status, text=text, content_type="application/json", headers=headers)
