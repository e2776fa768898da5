"""Helpers to run the app's exchange stack against the loopback KuCoin simulator."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest

from app.kucoin.breaker import CircuitBreaker
from app.kucoin.client import KucoinFuturesClient
from app.kucoin.gateway import KucoinGateway
from app.kucoin.ratelimit import WeightLimiter
from app.kucoin.symbols import SymbolConverter
from app.kucoin.transport import RetryPolicy
from tests.kucoin_sim.app import KucoinSimulator

# Half past an hour, so no real hour boundary is crossed while a test runs.
PINNED_NOW_MS = (int(time.time() * 1000) // 3_600_000) * 3_600_000 - 1_800_000


def live_clock_ms() -> int:
    """Now: a simulator started at it stamps books and tickers as fresh as KuCoin's."""
    return int(time.time() * 1000)


def with_sim(**config: Any) -> pytest.MarkDecorator:
    """Give one test's `sim` this configuration (it parametrises the `sim_config` fixture)."""
    label = ",".join(f"{key}={value}" for key, value in config.items())
    return pytest.mark.parametrize("sim_config", [config], ids=[label])


@asynccontextmanager
async def running_simulator(**config: Any) -> AsyncIterator[KucoinSimulator]:
    """A started simulator (its clock pinned to PINNED_NOW_MS unless given), stopped after."""
    config.setdefault("start_time_ms", PINNED_NOW_MS)
    simulator = KucoinSimulator(**config)
    await simulator.start()
    try:
        yield simulator
    finally:
        await simulator.stop()


def make_client(
    http: aiohttp.ClientSession,
    base_url: str,
    *,
    quota: int = 2000,
    window_s: float = 30.0,
    max_attempts: int = 5,
    failure_threshold: int = 50,
    reset_timeout_s: float = 30.0,
    request_timeout_s: float = 30.0,
    limiter: WeightLimiter | None = None,
) -> KucoinFuturesClient:
    """A client with fast backoff, so retry tests take milliseconds (`limiter`: instead of a
    local one of `quota` per `window_s`).

    The simulator answers on the test's own event loop, which the run's database work shares:
    on a loaded CI machine a reply can wait seconds for the loop (2 s timed out a scoring run's
    kline and funding calls in CI), so the timeout is generous unless a test exercises it."""
    return KucoinFuturesClient(
        http,
        base_url,
        limiter=limiter or WeightLimiter(quota, window_s),
        breaker=CircuitBreaker(
            failure_threshold=failure_threshold, reset_timeout_s=reset_timeout_s
        ),
        retry=RetryPolicy(max_attempts=max_attempts, backoff_base_s=0.01, backoff_max_s=0.05),
        request_timeout_s=request_timeout_s,
    )


def make_gateway(client: KucoinFuturesClient) -> KucoinGateway:
    return KucoinGateway(client, SymbolConverter())


async def wait_until(condition: Callable[[], bool], timeout_s: float = 2.0) -> bool:
    """Poll `condition` every 10 ms for at most `timeout_s`; return its last value."""
    for _ in range(max(1, int(timeout_s / 0.01))):
        if condition():
            return True
        await asyncio.sleep(0.01)
    return condition()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (for servers a test starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
