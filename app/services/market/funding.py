"""Funding settlements: stored as first seen, fetched only after the last stored one, read back
for scoring (and replays) from the store."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Symbol
from app.db.repositories.funding import FundingRepository
from app.exchange.gateway import FundingPoint

FUNDING_LOOKBACK = timedelta(days=14)
DEFAULT_INTERVAL = timedelta(hours=8)
AFTER = timedelta(milliseconds=1)


class FundingStore:
    """The `funding_settlement` rows a scoring run reads and adds to."""

    def __init__(self, session: AsyncSession) -> None:
        self.funding = FundingRepository(session)

    async def due(self, symbols: Sequence[Symbol], now: datetime) -> dict[str, datetime]:
        """Symbol -> fetch-from time, for symbols that may have settled since their last stored
        settlement (the whole lookback for those with none)."""
        latest = await self.funding.latest([s.id for s in symbols])
        out = {}
        for symbol in symbols:
            last = latest.get(symbol.id)
            if last is None:
                out[symbol.symbol] = now - FUNDING_LOOKBACK
                continue
            interval = _interval(symbol)
            if last + interval <= now:  # settlements sit on a grid: the next one is due
                out[symbol.symbol] = last + AFTER
        return out

    async def store(
        self, symbols: Sequence[Symbol], settlements: Mapping[str, list[FundingPoint]]
    ) -> int:
        """Keep fetched settlements (ignoring ones already stored); how many were new."""
        ids = {s.symbol: s.id for s in symbols}
        rows = [
            {"symbol_id": ids[symbol], "settled_at": point.at, "rate": point.rate}
            for symbol, points in settlements.items()
            if symbol in ids
            for point in points
        ]
        return await self.funding.insert_missing(rows)

    async def history(self, symbols: Sequence[Symbol], now: datetime) -> dict[str, list[float]]:
        """Each symbol's stored settled rates over the lookback, oldest first."""
        names = {s.id: s.symbol for s in symbols}
        out: dict[str, list[float]] = {s.symbol: [] for s in symbols}
        for symbol_id, _, rate in await self.funding.between(
            list(names), now - FUNDING_LOOKBACK, now
        ):
            out[names[symbol_id]].append(rate)
        return out


def _interval(symbol: Symbol) -> timedelta:
    if symbol.funding_interval_ms:
        return timedelta(milliseconds=symbol.funding_interval_ms)
    return DEFAULT_INTERVAL
