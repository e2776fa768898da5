"""KucoinFuturesClient: KuCoin's public REST endpoints as typed calls, on the request pipeline
of `app.kucoin.transport` (limits, breaker, retries, envelope checks), which it extends.

Speaks KuCoin codes (`XBTUSDTM`); only `app.kucoin` may use it. Every reply is parsed into
typed models.
"""

from __future__ import annotations

import asyncio
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from app.kucoin.exchange_errors import BadResponse
from app.kucoin.models import (
    Contract,
    FundingHistoryRow,
    Kline,
    OrderBook,
    Ticker,
    WsToken,
)
from app.kucoin.transport import KucoinTransport

M = TypeVar("M", bound=BaseModel)

KLINE_ROW_LIMIT = 500
GRANULARITIES_MIN = (1, 5, 15, 30, 60, 120, 240, 480, 720, 1440, 10080)

# Public-pool request weights (KuCoin SDK `api_market.py`).
WEIGHTS = {
    "contracts": 3,
    "ticker": 2,
    "klines": 3,
    "funding_history": 5,
    "depth": 5,
    "book_snapshot": 3,
    "timestamp": 2,
    "status": 4,
    "bullet_public": 10,
}


class KucoinFuturesClient(KucoinTransport):
    """KuCoin's public REST endpoints, each a typed call through the transport's pipeline."""

    async def get_active_contracts(self) -> list[Contract]:
        rows = await self.get("/api/v1/contracts/active", weight=WEIGHTS["contracts"])
        contracts = _parse_list(Contract, rows, "/api/v1/contracts/active")
        unique: dict[str, Contract] = {}
        for contract in contracts:  # ccxt#28211: duplicate ids have been seen; first wins
            unique.setdefault(contract.symbol, contract)
        return list(unique.values())

    async def get_ticker(self, symbol: str) -> Ticker:
        data = await self.get("/api/v1/ticker", {"symbol": symbol}, weight=WEIGHTS["ticker"])
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
        rows = await self.get("/api/v1/kline/query", params, weight=WEIGHTS["klines"])
        if not isinstance(rows, list):
            raise BadResponse("kline/query data is not a list", endpoint="/api/v1/kline/query")
        try:
            return [Kline.from_row(row) for row in rows]
        except (ValueError, ValidationError) as exc:
            raise BadResponse(
                f"malformed kline row: {exc}", endpoint="/api/v1/kline/query"
            ) from exc

    async def get_funding_history(
        self, symbol: str, start_ms: int, end_ms: int
    ) -> list[FundingHistoryRow]:
        path = "/api/v1/contract/funding-rates"
        params = {"symbol": symbol, "from": start_ms, "to": end_ms}
        rows = await self.get(path, params, weight=WEIGHTS["funding_history"])
        return sorted(_parse_list(FundingHistoryRow, rows, path), key=lambda r: r.timepoint)

    async def get_book_top(self, symbol: str, levels: int) -> OrderBook:
        """The best `levels` per side, read from the full book (`level2/snapshot`): KuCoin
        charges it 3 against `depth20`'s 5, for a larger body (up to ~1 000 levels per side)."""
        path = "/api/v1/level2/snapshot"
        data = await self.get(path, {"symbol": symbol}, weight=WEIGHTS["book_snapshot"])
        if isinstance(data, dict):  # only the levels kept are validated
            bids, asks = _head(data.get("bids"), levels), _head(data.get("asks"), levels)
            data = {**data, "bids": bids, "asks": asks}
        return _parse(OrderBook, data, path)

    async def get_ws_token(self) -> WsToken:
        path = "/api/v1/bullet-public"
        data = await self.request("POST", path, None, weight=WEIGHTS["bullet_public"])
        return _parse(WsToken, data, path)


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
