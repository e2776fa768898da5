"""KucoinFuturesClient: the raw public REST API, with envelope checks, limits, retries, breaker.

Speaks KuCoin codes (`XBTUSDTM`); only `app.exchange` may use it. Every reply is checked for
`code == "200000"` (business errors arrive with HTTP 200) and parsed into typed models.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

import aiohttp
from pydantic import BaseModel, ValidationError

from app.core.clock import utcnow
from app.core.config import LIVE_KUCOIN_FUTURES_URL
from app.exchange import spend
from app.exchange.breaker import CircuitBreaker
from app.exchange.errors import (
    BadResponse,
    ExchangeError,
    RateLimited,
    RequestRejected,
    Unavailable,
    UnknownSymbol,
)
from app.exchange.models import (
    Contract,
    FundingHistoryRow,
    FundingRate,
    Kline,
    OrderBook,
    ServiceStatus,
    Ticker,
    Trade,
    WsToken,
)
from app.exchange.ratelimit import PoolExhausted, WeightLimiter
from app.observability.metrics import kucoin_request, rate_limit_wait
from app.runtime.backoff import backoff_delay

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

SUCCESS = "200000"
SIMULATOR_HEADER = "X-Exchange-Simulator"
"""Sent by the loopback simulator (`tests/kucoin_sim`) on every answer: how it announces itself."""
UNKNOWN_SYMBOL_CODES = {"200003", "404000", "415000"}
KLINE_ROW_LIMIT = 500
GRANULARITIES_MIN = (1, 5, 15, 30, 60, 120, 240, 480, 720, 1440, 10080)
DEPTHS = (20, 100)

# Public-pool request weights (KuCoin SDK `api_market.py`).
WEIGHTS = {
    "contracts": 3,
    "ticker": 2,
    "klines": 3,
    "funding_current": 2,
    "funding_history": 5,
    "depth": 5,
    "book_snapshot": 3,
    "trades": 5,
    "timestamp": 2,
    "status": 4,
    "bullet_public": 10,
}

# Path prefixes to the endpoint names above (longest first), for accounting.
ENDPOINTS = (
    ("/api/v1/contracts/", "contracts"),
    ("/api/v1/ticker", "ticker"),
    ("/api/v1/kline/query", "klines"),
    ("/api/v1/funding-rate/", "funding_current"),
    ("/api/v1/contract/funding-rates", "funding_history"),
    ("/api/v1/level2/snapshot", "book_snapshot"),
    ("/api/v1/level2/", "depth"),
    ("/api/v1/trade/history", "trades"),
    ("/api/v1/timestamp", "timestamp"),
    ("/api/v1/status", "status"),
    ("/api/v1/bullet-public", "bullet_public"),
)


def endpoint_name(path: str) -> str:
    """The accounting name of a request path (`depth` for `/api/v1/level2/depth20`)."""
    for prefix, name in ENDPOINTS:
        if path.startswith(prefix):
            return name
    return path


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    backoff_base_s: float = 0.25
    backoff_max_s: float = 8.0
    max_rate_limit_wait_s: float = 31.0

    def backoff(self, attempt: int, rng: Callable[[], float]) -> float:
        return backoff_delay(attempt, base_s=self.backoff_base_s, max_s=self.backoff_max_s, rng=rng)


class KucoinFuturesClient:
    def __init__(
        self,
        http: aiohttp.ClientSession,
        base_url: str,
        *,
        limiter: WeightLimiter,
        breaker: CircuitBreaker,
        retry: RetryPolicy | None = None,
        request_timeout_s: float = 10.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.limiter = limiter
        self.breaker = breaker
        self.retry = retry or RetryPolicy()
        self.timeout = aiohttp.ClientTimeout(total=request_timeout_s)
        self._sleep = sleep
        self._rng = rng
        self._simulator: bool | None = None  # unknown until the source has answered

    @property
    def source_kind(self) -> str:
        """`simulator` while the source's last answer announced one; else `live` for KuCoin's
        own URL and `custom` for any other."""
        if self._simulator:
            return "simulator"
        return "live" if self.base_url == LIVE_KUCOIN_FUTURES_URL else "custom"

    # -- endpoints ---------------------------------------------------------------------------

    async def get_active_contracts(self) -> list[Contract]:
        rows = await self._get("/api/v1/contracts/active", weight=WEIGHTS["contracts"])
        contracts = _parse_list(Contract, rows, "/api/v1/contracts/active")
        unique: dict[str, Contract] = {}
        for contract in contracts:  # ccxt#28211: duplicate ids have been seen; first wins
            unique.setdefault(contract.symbol, contract)
        return list(unique.values())

    async def get_contract(self, symbol: str) -> Contract:
        path = f"/api/v1/contracts/{symbol}"
        return _parse(Contract, await self._get(path, weight=WEIGHTS["contracts"]), path)

    async def get_ticker(self, symbol: str) -> Ticker:
        data = await self._get("/api/v1/ticker", {"symbol": symbol}, weight=WEIGHTS["ticker"])
        return _parse(Ticker, data, "/api/v1/ticker")

    async def get_klines(
        self, symbol: str, granularity_min: int, start_ms: int, end_ms: int
    ) -> list[Kline]:
        """Candles with open time in [start_ms, end_ms], oldest first, paged ≤ 500 per call."""
        if granularity_min not in GRANULARITIES_MIN:
            raise ValueError(f"granularity {granularity_min} min is not supported by KuCoin")
        step = granularity_min * 60_000
        windows = []
        cursor = start_ms - start_ms % step
        while cursor <= end_ms:
            window_end = min(end_ms, cursor + (KLINE_ROW_LIMIT - 1) * step)
            windows.append((cursor, window_end))
            cursor = window_end + step
        pages = await asyncio.gather(
            *(self._kline_page(symbol, granularity_min, a, b) for a, b in windows)
        )
        by_time = {
            k.open_time_ms: k
            for page in pages
            for k in page
            if start_ms <= k.open_time_ms <= end_ms
        }
        return [by_time[t] for t in sorted(by_time)]

    async def _kline_page(self, symbol: str, granularity: int, start: int, end: int) -> list[Kline]:
        params = {"symbol": symbol, "granularity": granularity, "from": start, "to": end}
        rows = await self._get("/api/v1/kline/query", params, weight=WEIGHTS["klines"])
        if not isinstance(rows, list):
            raise BadResponse("kline/query data is not a list", endpoint="/api/v1/kline/query")
        try:
            return [Kline.from_row(row) for row in rows]
        except (ValueError, ValidationError) as exc:
            raise BadResponse(
                f"malformed kline row: {exc}", endpoint="/api/v1/kline/query"
            ) from exc

    async def get_current_funding(self, symbol: str) -> FundingRate:
        path = f"/api/v1/funding-rate/{symbol}/current"
        return _parse(FundingRate, await self._get(path, weight=WEIGHTS["funding_current"]), path)

    async def get_funding_history(
        self, symbol: str, start_ms: int, end_ms: int
    ) -> list[FundingHistoryRow]:
        path = "/api/v1/contract/funding-rates"
        params = {"symbol": symbol, "from": start_ms, "to": end_ms}
        rows = await self._get(path, params, weight=WEIGHTS["funding_history"])
        return sorted(_parse_list(FundingHistoryRow, rows, path), key=lambda r: r.timepoint)

    async def get_order_book(self, symbol: str, depth: int = 20) -> OrderBook:
        if depth not in DEPTHS:
            raise ValueError("KuCoin serves depth 20 or 100 only")
        path = f"/api/v1/level2/depth{depth}"
        data = await self._get(path, {"symbol": symbol}, weight=WEIGHTS["depth"])
        return _parse(OrderBook, data, path)

    async def get_book_top(self, symbol: str, levels: int) -> OrderBook:
        """The best `levels` per side, read from the full book (`level2/snapshot`): KuCoin
        charges it 3 against `depth20`'s 5, for a larger body (up to ~1 000 levels per side)."""
        path = "/api/v1/level2/snapshot"
        data = await self._get(path, {"symbol": symbol}, weight=WEIGHTS["book_snapshot"])
        if isinstance(data, dict):  # only the levels kept are validated
            bids, asks = _head(data.get("bids"), levels), _head(data.get("asks"), levels)
            data = {**data, "bids": bids, "asks": asks}
        return _parse(OrderBook, data, path)

    async def get_trades(self, symbol: str) -> list[Trade]:
        path = "/api/v1/trade/history"
        rows = await self._get(path, {"symbol": symbol}, weight=WEIGHTS["trades"])
        return _parse_list(Trade, rows, path)

    async def get_server_time_ms(self) -> int:
        data = await self._get("/api/v1/timestamp", weight=WEIGHTS["timestamp"])
        if not isinstance(data, int) or isinstance(data, bool):
            raise BadResponse("timestamp is not an integer", endpoint="/api/v1/timestamp")
        return data

    async def get_service_status(self) -> ServiceStatus:
        data = await self._get("/api/v1/status", weight=WEIGHTS["status"])
        return _parse(ServiceStatus, data, "/api/v1/status")

    async def get_ws_token(self) -> WsToken:
        path = "/api/v1/bullet-public"
        data = await self._request("POST", path, None, weight=WEIGHTS["bullet_public"])
        return _parse(WsToken, data, path)

    # -- transport ---------------------------------------------------------------------------

    async def _get(self, path: str, params: Mapping[str, Any] | None = None, *, weight: int) -> Any:
        return await self._request("GET", path, params, weight=weight)

    async def _request(
        self, method: str, path: str, params: Mapping[str, Any] | None, *, weight: int
    ) -> Any:
        """One logical call: up to `max_attempts` tries of retryable failures, with backoff."""
        attempt = 0
        while True:
            attempt += 1
            self.breaker.before_call()
            try:
                await rate_limit_wait(
                    self.limiter.acquire(weight, max_wait_s=self.retry.max_rate_limit_wait_s)
                )
            except PoolExhausted as exc:
                self.breaker.abandon_probe()  # nothing was sent: the probe slot is free again
                raise RateLimited(
                    f"KuCoin quota for {path} exhausted for {exc.wait_s:.1f}s; not waiting",
                    reset_at=utcnow() + timedelta(seconds=exc.wait_s),
                    endpoint=path,
                ) from exc
            try:
                data = await kucoin_request(path, self._send_once(method, path, params))
            except Unavailable:
                self.breaker.record_failure()
                if attempt >= self.retry.max_attempts:
                    raise
                await self._sleep(self.retry.backoff(attempt, self._rng))
                continue
            except RateLimited as exc:
                self.breaker.record_success()  # the server answered; the pool is just empty
                wait = (exc.reset_at - utcnow()).total_seconds()
                if attempt >= self.retry.max_attempts or wait > self.retry.max_rate_limit_wait_s:
                    raise
                continue  # the limiter holds the next send until the reset
            except ExchangeError as exc:
                self.breaker.record_success()  # a definite answer: KuCoin is up
                if exc.code != "404":  # KuCoin counts what it answered, except unknown paths
                    spend.charge(endpoint_name(path), weight)
                raise
            self.breaker.record_success()
            spend.charge(endpoint_name(path), weight)
            return data

    async def _send_once(self, method: str, path: str, params: Mapping[str, Any] | None) -> Any:
        url = self.base_url + path
        query = {k: str(v) for k, v in (params or {}).items()}
        try:
            async with self.http.request(
                method, url, params=query, timeout=self.timeout
            ) as response:
                body = await response.read()
                self._simulator = SIMULATOR_HEADER in response.headers
                self._observe_limits(response.headers)
                status = response.status
                headers = response.headers
        except TimeoutError as exc:
            raise Unavailable(f"timeout calling {path}", endpoint=path) from exc
        except aiohttp.ClientError as exc:
            raise Unavailable(f"{exc.__class__.__name__} calling {path}", endpoint=path) from exc
        return self._interpret(path, status, headers, body)

    def _observe_limits(self, headers: Mapping[str, str]) -> None:
        remaining = _int_header(headers, "gw-ratelimit-remaining")
        reset_ms = _int_header(headers, "gw-ratelimit-reset")
        self.limiter.observe(remaining, reset_ms)

    def _interpret(self, path: str, status: int, headers: Mapping[str, str], body: bytes) -> Any:
        envelope = _decode(body)
        code = str(envelope.get("code")) if isinstance(envelope, dict) else None
        message = envelope.get("msg", "") if isinstance(envelope, dict) else ""
        if status == 429 or code == "429000":
            reset_ms = _int_header(headers, "gw-ratelimit-reset")
            wait_s = reset_ms / 1000 if reset_ms is not None else self.limiter.window_s
            self.limiter.block_for(wait_s)
            raise RateLimited(
                f"KuCoin rate limit on {path}; reset in {wait_s:.3f}s",
                reset_at=utcnow() + timedelta(seconds=wait_s),
                endpoint=path,
            )
        if status >= 500:
            raise Unavailable(f"KuCoin answered HTTP {status} on {path}", endpoint=path, code=code)
        if envelope is None or not isinstance(envelope, dict):
            if status >= 400:
                raise RequestRejected(f"HTTP {status} on {path}", endpoint=path)
            raise BadResponse(f"{path} did not answer a JSON object", endpoint=path)
        if code == SUCCESS and status < 400:
            if "data" not in envelope:
                raise BadResponse(f"{path} success envelope without data", endpoint=path)
            return envelope["data"]
        if code in UNKNOWN_SYMBOL_CODES:
            raise UnknownSymbol(f"KuCoin: {message or 'unknown symbol'}", endpoint=path, code=code)
        raise RequestRejected(
            f"KuCoin refused {path}: {message or 'no message'} (HTTP {status})",
            endpoint=path,
            code=code,
        )


def _decode(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _parse(model: type[M], data: Any, endpoint: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise BadResponse(f"{endpoint}: {_first_error(exc)}", endpoint=endpoint) from exc


def _parse_list(model: type[M], data: Any, endpoint: str) -> list[M]:
    if not isinstance(data, list):
        raise BadResponse(f"{endpoint}: data is not a list", endpoint=endpoint)
    return [_parse(model, row, endpoint) for row in data]


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    return f"{'.'.join(str(p) for p in err['loc']) or 'payload'}: {err['msg']}"


def _head(levels: Any, count: int) -> Any:
    return levels[:count] if isinstance(levels, list) else levels
