"""Builds the exchange stack (limiter, breaker, client, converter, gateway) from the
environment's KuCoin group."""

from __future__ import annotations

import aiohttp

from app.kucoin.breaker import CircuitBreaker
from app.kucoin.client import KucoinFuturesClient
from app.kucoin.gateway import KucoinGateway
from app.kucoin.ratelimit import WeightLimiter
from app.kucoin.shared_budget import SharedWindow
from app.kucoin.symbols import SymbolConverter
from app.kucoin.transport import RetryPolicy
from app.platform.core.environment_sections import KucoinEnvironment


def create_http_session(environment: KucoinEnvironment) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(
            total=environment.request_timeout_s, connect=environment.connect_timeout_s
        ),
        connector=aiohttp.TCPConnector(limit=environment.max_connections),
        raise_for_status=False,
    )


def create_gateway(
    environment: KucoinEnvironment,
    http: aiohttp.ClientSession,
    *,
    shared: SharedWindow | None = None,
) -> KucoinGateway:
    """With `shared`, the weight budget is every replica's (see `app.kucoin.ratelimit`)."""
    limiter = WeightLimiter(
        environment.quota, environment.quota_window_s, shared=shared, replicas=environment.replicas
    )
    client = KucoinFuturesClient(
        http,
        environment.futures_url,
        limiter=limiter,
        breaker=CircuitBreaker(
            failure_threshold=environment.breaker_failure_threshold,
            reset_timeout_s=environment.breaker_reset_s,
        ),
        retry=RetryPolicy(max_attempts=environment.max_attempts),
        request_timeout_s=environment.request_timeout_s,
    )
    return KucoinGateway(client, SymbolConverter())
