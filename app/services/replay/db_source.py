"""History from the service's own database: the stored hourly candles and funding settlements,
so a deployment replays its own past. A symbol without stored settlements has unknown funding."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.repositories.candles import CandleRepository
from app.db.repositories.funding import FundingRepository
from app.db.repositories.symbols import SymbolRepository
from app.replay.history import HOUR_MS, Funding, MarketHistory, common_grid

HOURLY = 60


class NoStoredHistory(LookupError):
    """The database holds no hourly candle in the asked range."""


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


async def load_db_history(session: AsyncSession, start: datetime, end: datetime) -> MarketHistory:
    """Every symbol's stored hourly candles opening in [start, end], with its settlements."""
    bars = await CandleRepository(session).bars(HOURLY, start, end)
    if not bars:
        raise NoStoredHistory(f"no hourly candles stored between {start} and {end}")
    history, ids = await history_of(session, bars)
    settled: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for symbol_id, at, rate in await FundingRepository(session).between(ids, start, end):
        settled[symbol_id].append((_ms(at), rate))
    funding: list[Funding | None] = []
    for symbol_id in ids:
        points = settled.get(symbol_id)
        if not points:
            funding.append(None)
            continue
        funding.append(
            Funding(
                np.array([t for t, _ in points], dtype=np.int64), np.array([r for _, r in points])
            )
        )
    return replace(history, funding=funding, source="database")


Bar = tuple[int, datetime, float, float, float, float, float]


async def history_of(session: AsyncSession, bars: Sequence[Bar]) -> tuple[MarketHistory, list[int]]:
    """`bars` (symbol id, open time, OHLCV) on one hourly grid, symbols in name order, funding
    unknown; and the symbol ids in that order."""
    by_symbol: dict[int, list[tuple[int, float, float, float, float, float]]] = defaultdict(list)
    for symbol_id, open_time, o, h, low, c, v in bars:
        by_symbol[symbol_id].append((_ms(open_time), o, h, low, c, v))
    rows = {s.id: s for s in await SymbolRepository(session).get_many(list(by_symbol))}
    ids = sorted(by_symbol, key=lambda i: rows[i].symbol)
    grid = common_grid(
        [min(b[0] for b in by_symbol[i]) for i in ids],
        [max(b[0] for b in by_symbol[i]) for i in ids],
    )
    shape = (len(ids), grid.size)
    arrays = [np.full(shape, np.nan) for _ in range(5)]
    for k, symbol_id in enumerate(ids):
        data = np.array(by_symbol[symbol_id], dtype=float)
        columns = ((data[:, 0].astype(np.int64) - grid[0]) // HOUR_MS).astype(np.int64)
        for field, values in enumerate(arrays, start=1):
            values[k, columns] = data[:, field]
    history = MarketHistory(
        symbols=[rows[i].symbol for i in ids],
        grid_ms=grid,
        open=arrays[0],
        high=arrays[1],
        low=arrays[2],
        close=arrays[3],
        volume=arrays[4],
        funding=[None] * len(ids),
    )
    return history, ids
