"""Builds the exchange stack (limiter, breaker, client, converter, gateway) from settings."""

from __future__ import annotations

import aiohttp

from app.kucoin.breaker import CircuitBreaker
from app.kucoin.client import KucoinFuturesClient
from app.kucoin.gateway import KucoinGateway
from app.kucoin.ratelimit import WeightLimiter
from app.kucoin.shared_budget import SharedWindow
from app.kucoin.symbols import SymbolConverter
from app.kucoin.transport import RetryPolicy
from app.platform.core.config_sections import KucoinSettings


def create_http_session(settings: KucoinSettings) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(
            total=settings.request_timeout_s, connect=settings.connect_timeout_s
        ),
        connector=aiohttp.TCPConnector(limit=settings.max_connections),
        raise_for_status=False,
    )


def create_gateway(
    settings: KucoinSettings,
    http: aiohttp.ClientSession,
    *,
    shared: SharedWindow | None = None,
) -> KucoinGateway:
    """With `shared`, the weight budget is every replica's (see `app.kucoin.ratelimit`)."""
    limiter = WeightLimiter(
        settings.quota, settings.quota_window_s, shared=shared, replicas=settings.replicas
    )
    client = KucoinFuturesClient(
        http,
        settings.futures_url,
        limiter=limiter,
        breaker=CircuitBreaker(
            failure_threshold=settings.breaker_failure_threshold,
            reset_timeout_s=settings.breaker_reset_s,
        ),
        retry=RetryPolicy(max_attempts=settings.max_attempts),
        request_timeout_s=settings.request_timeout_s,
    )
    return KucoinGateway(client, SymbolConverter())
