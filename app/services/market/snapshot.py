"""Stage-2 market data for scoring: order books and funding history for a shortlist."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.exchange.errors import ExchangeError
from app.exchange.gateway import KucoinGateway
from app.progress import advance

logger = logging.getLogger(__name__)

FUNDING_LOOKBACK = timedelta(days=14)


@dataclass(frozen=True)
class BookAndFunding:
    bids: list[list[float]]  # (price, base size), best first
    asks: list[list[float]]
    book_at: datetime | None
    funding_history: list[float]  # settled rates, oldest first


@dataclass
class SnapshotResult:
    symbols: dict[str, BookAndFunding] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)  # "SYMBOL:book" -> error slug


async def collect(
    gateway: KucoinGateway,
    multipliers: Mapping[str, float],
    *,
    now: datetime,
    concurrency: int = 16,
) -> SnapshotResult:
    """Book (depth 20) and funding history of each symbol; a failure leaves that part empty."""
    result = SnapshotResult()
    limit = asyncio.Semaphore(concurrency)
    done = [0]

    async def one(symbol: str, multiplier: float) -> None:
        async with limit:
            bids: list[list[float]] = []
            asks: list[list[float]] = []
            book_at = None
            funding: list[float] = []
            try:
                book = await gateway.get_order_book(symbol, 20)
                bids = [[price, lots * multiplier] for price, lots in book.bids]
                asks = [[price, lots * multiplier] for price, lots in book.asks]
                book_at = book.at
            except ExchangeError as exc:
                result.failures[f"{symbol}:book"] = exc.slug
            try:
                points = await gateway.get_funding_history(symbol, now - FUNDING_LOOKBACK, now)
                funding = [p.rate for p in points]
            except ExchangeError as exc:
                result.failures[f"{symbol}:funding"] = exc.slug
            result.symbols[symbol] = BookAndFunding(bids, asks, book_at, funding)
            done[0] += 1
            advance(done[0] / len(multipliers))

    await asyncio.gather(*(one(s, m) for s, m in multipliers.items()))
    if result.failures:
        logger.warning("market snapshot: %d partial failures", len(result.failures))
    return result
