"""The request pipeline to KuCoin's public REST API: one logical call is the rate limiter's
permission, the circuit breaker's, up to `max_attempts` sends with backoff, the envelope checked
(`code == "200000"`: business errors arrive with HTTP 200), the limit headers followed, and the
weight charged to the run's spend. `app.kucoin.client` names the endpoints on top of it."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import aiohttp

from app.kucoin import spend
from app.kucoin.breaker import CircuitBreaker
from app.kucoin.exchange_errors import (
    BadResponse,
    ExchangeError,
    RateLimited,
    RequestRejected,
    Unavailable,
    UnknownSymbol,
)
from app.kucoin.ratelimit import PoolExhausted, WeightLimiter
from app.platform.core.clock import utcnow
from app.platform.core.environment_sections import LIVE_KUCOIN_FUTURES_URL
from app.platform.observability.prometheus import kucoin_request, rate_limit_wait
from app.platform.runtime.backoff import backoff_delay

SUCCESS = "200000"
SIMULATOR_HEADER = "X-Exchange-Simulator"
"""Sent by the loopback simulator (`tests/kucoin_sim`) on every answer: how it announces itself."""
UNKNOWN_SYMBOL_CODES = {"200003", "404000", "415000"}

# Path prefixes to the endpoint names of `app.kucoin.client.WEIGHTS` (longest first), for
# accounting.
ENDPOINTS = (
    ("/api/v1/contracts/", "contracts"),
    ("/api/v1/ticker", "ticker"),
    ("/api/v1/kline/query", "klines"),
    ("/api/v1/contract/funding-rates", "funding_history"),
    ("/api/v1/level2/snapshot", "book_snapshot"),
    ("/api/v1/level2/", "depth"),
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


class KucoinTransport:
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

    async def get(self, path: str, params: Mapping[str, Any] | None = None, *, weight: int) -> Any:
        return await self.request("GET", path, params, weight=weight)

    async def request(
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
        return self.interpret(path, status, headers, body)

    def _observe_limits(self, headers: Mapping[str, str]) -> None:
        remaining = _int_header(headers, "gw-ratelimit-remaining")
        reset_ms = _int_header(headers, "gw-ratelimit-reset")
        self.limiter.observe(remaining, reset_ms)

    def interpret(self, path: str, status: int, headers: Mapping[str, str], body: bytes) -> Any:
        """The data of one answer, or the error it is."""
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
