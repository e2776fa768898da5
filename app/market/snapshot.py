"""Stage-2 market data for scoring: order books, and funding settlements not yet stored."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from app.kucoin.errors import ExchangeError
from app.kucoin.gateway import FundingPoint, KucoinGateway
from app.market.contracts.depth import BOOK_LEVELS
from app.platform.runtime.progress import advance

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BookAndFunding:
    bids: list[list[float]]  # (price, base size), best first
    asks: list[list[float]]
    book_at: datetime | None
    funding_history: list[float]  # settled rates, oldest first


@dataclass
class SnapshotResult:
    symbols: dict[str, BookAndFunding] = field(default_factory=dict)
    settlements: dict[str, list[FundingPoint]] = field(default_factory=dict)
    """Settlements fetched this run (after the last stored one), oldest first."""
    failures: dict[str, str] = field(default_factory=dict)  # "SYMBOL:book" -> error slug

    def with_funding(self, history: Mapping[str, list[float]]) -> SnapshotResult:
        """The books joined with each symbol's stored funding history."""
        symbols = {
            symbol: BookAndFunding(part.bids, part.asks, part.book_at, history.get(symbol, []))
            for symbol, part in self.symbols.items()
        }
        return SnapshotResult(symbols, self.settlements, self.failures)


async def collect(
    gateway: KucoinGateway,
    multipliers: Mapping[str, float],
    *,
    funding_from: Mapping[str, datetime],
    now: datetime,
    concurrency: int = 16,
) -> SnapshotResult:
    """The book (the best `BOOK_LEVELS` per side, as the scorer reads it) of each symbol of
    `multipliers`, and the funding settlements of each symbol of `funding_from` since its time;
    a failure leaves that part empty."""
    result = SnapshotResult()
    limit = asyncio.Semaphore(concurrency)
    total = len(multipliers) + len(funding_from)
    done = [0]

    def step() -> None:
        done[0] += 1
        advance(done[0] / total)

    async def book(symbol: str, multiplier: float) -> None:
        async with limit:
            bids: list[list[float]] = []
            asks: list[list[float]] = []
            book_at = None
            try:
                got = await gateway.get_book_top(symbol, BOOK_LEVELS)
                bids = [[price, lots * multiplier] for price, lots in got.bids]
                asks = [[price, lots * multiplier] for price, lots in got.asks]
                book_at = got.at
            except ExchangeError as exc:
                result.failures[f"{symbol}:book"] = exc.slug
            result.symbols[symbol] = BookAndFunding(bids, asks, book_at, [])
            step()

    async def funding(symbol: str, start: datetime) -> None:
        async with limit:
            try:
                result.settlements[symbol] = await gateway.get_funding_history(symbol, start, now)
            except ExchangeError as exc:
                result.failures[f"{symbol}:funding"] = exc.slug
            step()

    await asyncio.gather(
        *(book(s, m) for s, m in multipliers.items()),
        *(funding(s, start) for s, start in funding_from.items()),
    )
    if result.failures:
        reasons = Counter(result.failures.values())
        logger.warning(
            "market snapshot: %d partial failures (%s)",
            len(result.failures),
            ", ".join(f"{slug} x{n}" for slug, n in reasons.items()),
        )
    return result
