"""Funding settlements: stored as first seen, fetched only after the last stored one, read back
for scoring (and replays) from the store."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.kucoin.gateway import FundingPoint
from app.market.models import Symbol
from app.market.repository.funding import FundingRepository, FundingRow

FUNDING_LOOKBACK = timedelta(days=14)
DEFAULT_INTERVAL = timedelta(hours=8)
AFTER = timedelta(milliseconds=1)
PUBLISH_LAG = timedelta(minutes=1)  # a settlement asked for just after its instant may lag


class FundingStore:
    """The `funding_settlement` rows a scoring run reads and adds to."""

    def __init__(self, session: AsyncSession) -> None:
        self.funding = FundingRepository(session)

    async def due(self, symbols: Sequence[Symbol], now: datetime) -> dict[str, datetime]:
        """Symbol -> fetch-from time, for symbols that may have settled since their last stored
        settlement (the whole lookback for those with none). A contract the contract list shows
        no funding rate for (a dated future) has no settlements to fetch."""
        ids = [s.id for s in symbols]
        latest = await self.funding.latest(ids)
        checked = await self.funding.checked(ids)
        out = {}
        for symbol in symbols:
            if symbol.funding_rate is None:
                continue
            last, asked = latest.get(symbol.id), checked.get(symbol.id)
            if next_settlement(last, asked, _interval(symbol)) <= now:
                out[symbol.symbol] = now - FUNDING_LOOKBACK if last is None else last + AFTER
        return out

    async def store(
        self,
        symbols: Sequence[Symbol],
        settlements: Mapping[str, list[FundingPoint]],
        *,
        asked_until: datetime,
    ) -> int:
        """Keep fetched settlements (ignoring ones already stored) and until when each symbol
        was asked; how many were new."""
        ids = {s.symbol: s.id for s in symbols}
        await self.funding.mark_checked(
            [ids[symbol] for symbol in settlements if symbol in ids], asked_until
        )
        rows: list[FundingRow] = [
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


def next_settlement(last: datetime | None, asked: datetime | None, interval: timedelta) -> datetime:
    """The earliest time a settlement not yet fetched can exist: settlements sit on a grid of
    `interval` through the last one; with none stored, one interval after it was last asked."""
    if asked is not None:
        asked -= PUBLISH_LAG
    if asked is None:
        return datetime.min.replace(tzinfo=UTC) if last is None else last + interval
    if last is None:
        return asked + interval
    steps = max((asked - last) // interval, 0) + 1
    return last + steps * interval


def _interval(symbol: Symbol) -> timedelta:
    if symbol.funding_interval_ms:
        return timedelta(milliseconds=symbol.funding_interval_ms)
    return DEFAULT_INTERVAL
