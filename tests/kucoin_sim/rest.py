"""REST routes of the futures host and their handlers (pure: return status and body)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tests.kucoin_sim.candles import kline_rows
from tests.kucoin_sim.config import GRANULARITIES_MIN
from tests.kucoin_sim.contracts import contract_row, contracts_active

if TYPE_CHECKING:
    from tests.kucoin_sim.app import KucoinSimulator

Body = dict[str, Any]
Reply = tuple[int, Body]

INVALID_SYMBOL: Body = {"msg": "Invalid symbol.", "code": "200003"}
CONTRACT_NOT_EXIST: Body = {
    "msg": "The contract information you requested does not exist.",
    "code": "404000",
}
FUNDING_NOT_SUPPORTED: Body = {"msg": "funding rate is not supported", "code": "415000"}
MARK_NOT_SUPPORTED: Body = {"msg": "mark price is not supported", "code": "415000"}
NOT_FOUND: Body = {"code": "404", "msg": "Not Found", "retry": False, "success": False}
DEPTH_NOT_EXIST: Body = {"code": "404", "msg": "not exist"}
NO_AUTH: Body = {
    "code": "400001",
    "msg": "Please check the header of your request for KC-API-KEY, KC-API-SIGN, "
    "KC-API-TIMESTAMP, KC-API-PASSPHRASE.",
}
PRIVATE_PATHS = (
    "/api/v1/trade-statistics",
    "/api/v1/account-overview",
    "/api/v1/positions",
    "/api/v1/orders",
    "/api/v1/fills",
    "/api/v1/bullet-private",
)
DEPTHS = {"20": 20, "100": 100}
SNAPSHOT_DEPTH = 500


def ok(data: Any) -> Reply:
    """Success envelope."""
    return 200, {"code": "200000", "data": data}


def param_error(msg: str = "Param validation error") -> Reply:
    """KuCoin's 400100 family, sent with HTTP 200 like other business errors (assumed)."""
    return 200, {"code": "400100", "msg": msg}


@dataclass(frozen=True)
class Route:
    """A path pattern, its name (= weight key) and handler."""

    method: str
    pattern: re.Pattern[str]
    name: str


ROUTES = [
    Route(m, re.compile(p + r"/?$"), n)
    for m, p, n in (
        ("GET", r"/api/v1/contracts/active", "contracts_active"),
        ("GET", r"/api/v1/contracts/(?P<symbol>[^/]+)", "contract"),
        ("GET", r"/api/v1/ticker", "ticker"),
        ("GET", r"/api/v1/allTickers", "all_tickers"),
        ("GET", r"/api/v1/kline/query", "kline"),
        ("GET", r"/api/v1/funding-rate/(?P<symbol>[^/]+)/current", "funding_current"),
        ("GET", r"/api/v1/contract/funding-rates", "funding_history"),
        ("GET", r"/api/v1/level2/depth(?P<depth>\d+)", "level2_depth"),
        ("GET", r"/api/v1/level2/snapshot", "level2_snapshot"),
        ("GET", r"/api/v1/trade/history", "trade_history"),
        ("GET", r"/api/v1/mark-price/(?P<symbol>[^/]+)/current", "mark_price"),
        ("GET", r"/api/v1/timestamp", "timestamp"),
        ("GET", r"/api/v1/status", "status"),
        ("POST", r"/api/v1/bullet-public", "bullet_public"),
    )
]


def match(method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    """The route serving `method path`, with its path parameters."""
    for route in ROUTES:
        found = route.pattern.match(path)
        if found and route.method == method:
            return route, found.groupdict()
    return None


def _int(query: Mapping[str, str], key: str) -> int | None:
    """Optional integer query parameter; raises ValueError when present but not an int."""
    value = query.get(key)
    return None if value in (None, "") else int(str(value))


class Handlers:
    """One method per route name: `(params, query) -> (http status, body)`."""

    def __init__(self, sim: KucoinSimulator) -> None:
        """Bind to the simulator's market, clock and WebSocket hub."""
        self.sim = sim
        self.market = sim.market
        self.clock = sim.clock

    def get(self, name: str) -> Callable[[dict[str, str], Mapping[str, str]], Reply]:
        """The handler for a route name."""
        handler: Callable[[dict[str, str], Mapping[str, str]], Reply] = getattr(self, name)
        return handler

    def _symbol(self, query: Mapping[str, str]) -> int | None:
        """Index of the tradable contract named by `?symbol=`."""
        return self.market.tradable(query.get("symbol", ""))

    def contracts_active(self, params: dict[str, str], query: Mapping[str, str]) -> Reply:
        """All open contracts."""
        return ok(contracts_active(self.market, self.clock.now_ms()))

    def contract(self, params: dict[str, str], query: Mapping[str, str]) -> Reply:
        """One contract row; 404000 when unknown or removed."""
        i = self.market.index.get(params["symbol"])
        if i is None or self.market.delisted.get(params["symbol"], "x") is None:
            return 200, CONTRACT_NOT_EXIST
        return ok(contract_row(self.market, i, self.clock.now_ms()))

    def ticker(self, params: dict[str, str], query: Mapping[str, str]) -> Reply:
        """Last trade and best bid/ask."""
        i = self._symbol(query)
        if i is None:
            return 200, INVALID_SYMBOL
        return ok(self.market.ticker(i, self.clock.now_ms(), self.clock.now_ns()))

    def all_tickers(self, params: dict[str, str], query: Mapping[str, str]) -> Reply:
        """Tickers of every listed contract."""
        now_ms, now_ns = self.clock.now_ms(), self.clock.now_ns()
        rows = [
            self.market.ticker(i, now_ms, now_ns)
            for i, spec in enumerate(self.market.specs)
            if spec.symbol not in self.market.delisted
        ]
        return ok(rows)

    def kline(self, params: dict[str, str], query: Mapping[str, str]) -> Reply:
        """Candles with KuCoin's window rules (§3.3)."""
        if not query.get("symbol"):
            return param_error()
        try:
            granularity = _int(query, "granularity")
            frm, to = _int(query, "from"), _int(query, "to")
        except ValueError:
            return param_error()
        if granularity not in GRANULARITIES_MIN:
            return param_error()
        if granularity < 60 and self.sim.config.sub_hour == "reject":
            return param_error("granularity below 60 is not served by the simulator")
        i = self._symbol(query)
        if i is None:
            return 200, INVALID_SYMBOL
        spec = self.market.specs[i]
        rows = kline_rows(
            self.market.series[i],
            spec.tick,
            spec.multiplier,
            spec.inverse,
            granularity,
            frm,
            to,
            self.clock.now_ms(),
        )
        if spec.symbol in self.market.missing_candles:
            rows = [r for r in rows if not self.market.candle_missing(spec.symbol, int(r[0]))]
        return ok(rows)

    def funding_current(self, params: dict[str, str], query: Mapping[str, str]) -> Reply:
        """Current funding cycle (2025+ shape)."""
        i = self.market.tradable(params["symbol"])
        data = None if i is None else self.market.funding_now(i, self.clock.now_ms())
        return (200, FUNDING_NOT_SUPPORTED) if data is None else ok(data)

    def funding_history(self, params: dict[str, str], query: Mapping[str, str]) -> Reply:
        """Settled rates in [from, to], newest first; all three parameters required."""
        try:
            frm, to = _int(query, "from"), _int(query, "to")
        except ValueError:
            return param_error()
        if not query.get("symbol") or frm is None or to is None:
            return param_error()
        i = self._symbol(query)
        if i is None:
            return 200, INVALID_SYMBOL
        return ok(self.market.funding_history(i, frm, to, self.clock.now_ms()))

    def level2_depth(self, params: dict[str, str], query: Mapping[str, str]) -> Reply:
        """Top 20 or 100 levels per side (other sizes never reach here)."""
        i = self._symbol(query)
        if i is None:
            return 200, INVALID_SYMBOL
        levels = DEPTHS[params["depth"]]
        return ok(self.market.depth(i, self.clock.now_ms(), self.clock.now_ns(), levels))

    def level2_snapshot(self, params: dict[str, str], query: Mapping[str, str]) -> Reply:
        """Deep book (500 levels per side)."""
        i = self._symbol(query)
        if i is None:
            return 200, INVALID_SYMBOL
        return ok(self.market.depth(i, self.clock.now_ms(), self.clock.now_ns(), SNAPSHOT_DEPTH))

    def trade_history(self, params: dict[str, str], query: Mapping[str, str]) -> Reply:
        """Last 100 trades."""
        i = self._symbol(query)
        if i is None:
            return 200, INVALID_SYMBOL
        return ok(self.market.trades(i, self.clock.now_ms()))

    def mark_price(self, params: dict[str, str], query: Mapping[str, str]) -> Reply:
        """Mark and index price."""
        i = self.market.tradable(params["symbol"])
        if i is None:
            return 200, MARK_NOT_SUPPORTED
        return ok(self.market.mark_price(i, self.clock.now_ms()))

    def timestamp(self, params: dict[str, str], query: Mapping[str, str]) -> Reply:
        """Server time in ms."""
        return ok(self.clock.now_ms())

    def status(self, params: dict[str, str], query: Mapping[str, str]) -> Reply:
        """Service status (maintenance is injected by the dispatcher)."""
        return ok({"msg": "", "status": "open"})

    def bullet_public(self, params: dict[str, str], query: Mapping[str, str]) -> Reply:
        """A WebSocket token and this simulator's loopback endpoint."""
        cfg = self.sim.config
        server = {
            "endpoint": self.sim.ws_endpoint,
            "encrypt": False,
            "protocol": "websocket",
            "pingInterval": cfg.ws_ping_interval_ms,
            "pingTimeout": cfg.ws_ping_timeout_ms,
        }
        return ok({"token": self.sim.ws.issue_token(), "instanceServers": [server]})
