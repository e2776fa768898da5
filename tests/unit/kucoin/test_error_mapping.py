"""Recorded KuCoin error replies map to the right typed errors (most arrive with HTTP 200)."""

from __future__ import annotations

import json

import aiohttp
import pytest

from app.kucoin.breaker import CircuitBreaker
from app.kucoin.client import KucoinFuturesClient
from app.kucoin.exchange_errors import (
    ExchangeError,
    RateLimited,
    RequestRejected,
    Unavailable,
    UnknownSymbol,
)
from app.kucoin.ratelimit import WeightLimiter
from tests.shared_data import kucoin_fixture

NOW_S = 1000.0  # the limiter's clock, still: a block reads as long as the reset said


@pytest.fixture
async def client() -> KucoinFuturesClient:
    async with aiohttp.ClientSession() as http:  # never used: `_interpret` does no I/O
        return KucoinFuturesClient(
            http,
            "http://127.0.0.1:9",
            limiter=WeightLimiter(100, 30, clock=lambda: NOW_S),
            breaker=CircuitBreaker(),
        )


def interpret(
    client: KucoinFuturesClient, status: int, body: object, headers: dict[str, str] | None = None
) -> object:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.interpret("/api/v1/test", status, headers or {}, raw)


@pytest.mark.parametrize(
    ("fixture", "status", "error", "code"),
    [
        ("futures_error_invalid_symbol.json", 200, UnknownSymbol, "200003"),
        ("futures_error_contract_not_exist.json", 200, UnknownSymbol, "404000"),
        ("futures_error_funding_rate_not_supported.json", 200, UnknownSymbol, "415000"),
        ("futures_error_mark_price_not_supported.json", 200, UnknownSymbol, "415000"),
        (
            "futures_error_http400_private_endpoint_without_auth.json",
            400,
            RequestRejected,
            "400001",
        ),
        ("futures_error_http404_unknown_depth_size.json", 404, RequestRejected, "404"),
        ("futures_error_http404_unknown_path.json", 404, RequestRejected, "404"),
    ],
)
def test_recorded_error_maps_to_its_typed_error(
    client: KucoinFuturesClient, fixture: str, status: int, error: type[ExchangeError], code: str
) -> None:
    with pytest.raises(error) as caught:
        interpret(client, status, kucoin_fixture(fixture))
    assert type(caught.value) is error
    assert caught.value.code == code
    assert not isinstance(caught.value, (Unavailable, RateLimited))  # the ones retried


def test_success_code_with_http_200_returns_data(client: KucoinFuturesClient) -> None:
    assert interpret(client, 200, kucoin_fixture("futures_index_query_unknown_symbol.json")) == {
        "dataList": [],
        "hasMore": False,
    }


def test_429000_with_http_200_is_rate_limited_and_blocks_the_pool(
    client: KucoinFuturesClient,
) -> None:
    with pytest.raises(RateLimited):
        interpret(
            client,
            200,
            {"code": "429000", "msg": "Too Many Requests"},
            {"gw-ratelimit-reset": "7000"},
        )
    assert client.limiter.blocked_for_s == 7.0


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_is_unavailable_whatever_the_body(client: KucoinFuturesClient, status: int) -> None:
    with pytest.raises(Unavailable):
        interpret(client, status, b"<html>bad gateway</html>")


def test_a_success_envelope_without_data_is_bad(client: KucoinFuturesClient) -> None:
    with pytest.raises(ExchangeError, match="without data"):
        interpret(client, 200, {"code": "200000"})
