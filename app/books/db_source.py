"""History from the service's own database: the stored hourly candles and funding settlements,
so a deployment replays its own past. A symbol without stored settlements has unknown funding."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.books.simulation.funding_index import Funding
from app.books.simulation.market_history import MarketHistory, common_grid
from app.market.repository.candles import CandleRepository
from app.market.repository.funding import FundingRepository
from app.market.repository.sources import MarketDataSourceRepository
from app.market.repository.symbols import SymbolRepository
from app.platform.core.units import HOUR_MIN, HOUR_MS, to_epoch_ms


class NoStoredHistory(LookupError):
    """The database holds no hourly candle in the asked range."""


async def load_db_history(session: AsyncSession, start: datetime, end: datetime) -> MarketHistory:
    """Every symbol's stored hourly candles opening in [start, end], with its settlements until
    the last of them closes."""
    tables = [part async for part in CandleRepository(session).bars(HOUR_MIN, start, end)]
    if not tables:
        raise NoStoredHistory(f"no hourly candles stored between {start} and {end}")
    history, ids = await _history(session, tables)
    # Through the last candle's close: a settlement there is paid at that last mark.
    last_close = end + timedelta(minutes=HOUR_MIN)
    settled = await FundingRepository(session).between(ids, start, last_close)
    provenance = await MarketDataSourceRepository(session).between(start, end)
    stored = with_funding(history, ids, Settlements.of(settled))
    return replace(stored, market_sources=provenance.sources)


@dataclass(frozen=True)
class Settlements:
    """Funding settlements as columns, by symbol id then time."""

    symbol_ids: np.ndarray  # int64
    at_ms: np.ndarray  # int64
    rates: np.ndarray

    @classmethod
    def of(cls, rows: Sequence[tuple[int, datetime, float]]) -> Settlements:
        """From (symbol id, settlement time, rate) rows, in any order."""
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        at = np.array([to_epoch_ms(r[1]) for r in rows], dtype=np.int64)
        rates = np.array([r[2] for r in rows], dtype=float)
        order = np.lexsort((at, ids))
        return cls(ids[order], at[order], rates[order])

    def since(self, start_ms: int) -> Settlements:
        keep = self.at_ms >= start_ms
        return Settlements(self.symbol_ids[keep], self.at_ms[keep], self.rates[keep])

    def joined(self, newer: Settlements) -> Settlements:
        """These and `newer` (all later than these), by symbol id then time."""
        ids = np.concatenate([self.symbol_ids, newer.symbol_ids])
        at = np.concatenate([self.at_ms, newer.at_ms])
        rates = np.concatenate([self.rates, newer.rates])
        order = np.lexsort((at, ids))
        return Settlements(ids[order], at[order], rates[order])


async def assemble(
    session: AsyncSession,
    tables: Sequence[np.ndarray],
    settled: Settlements,
    names: dict[int, str] | None = None,
) -> MarketHistory:
    """`load_db_history`'s history from bars read already (`CandleRepository.bars` tables)
    and the settlements of their range (`names`: symbol names by id known already, completed
    in place: a symbol's name never changes)."""
    history, ids = await _history(session, tables, names)
    return with_funding(history, ids, settled)


def with_funding(history: MarketHistory, ids: Sequence[int], settled: Settlements) -> MarketHistory:
    """`history` (its symbols' ids `ids`) with the settlements of its symbols; a symbol without
    any has unknown funding."""
    first = np.searchsorted(settled.symbol_ids, ids, side="left")
    last = np.searchsorted(settled.symbol_ids, ids, side="right")
    funding: list[Funding | None] = [
        Funding(settled.at_ms[a:b], settled.rates[a:b]) if b > a else None
        for a, b in zip(first.tolist(), last.tolist(), strict=True)
    ]
    return replace(history, funding=funding, source="database")


@dataclass(frozen=True)
class _Bars:
    """Bars as columns (one row per bar), with their symbols."""

    open_ms: np.ndarray
    ohlcv: np.ndarray
    symbols: np.ndarray  # the distinct symbol ids, ascending
    symbol_of_bar: np.ndarray  # each bar's index in `symbols`

    @staticmethod
    def of(tables: Sequence[np.ndarray]) -> _Bars:
        """From tables of (symbol id, open time in epoch ms, OHLCV) rows."""
        table = np.concatenate(tables)
        symbols, symbol_of_bar = np.unique(table[:, 0].astype(np.int64), return_inverse=True)
        return _Bars(table[:, 1].astype(np.int64), table[:, 2:], symbols, symbol_of_bar)


async def _history(
    session: AsyncSession, tables: Sequence[np.ndarray], known: dict[int, str] | None = None
) -> tuple[MarketHistory, list[int]]:
    """`tables`' bars on one grid, and the symbol ids in row order (`known`: names of symbol ids
    read before, completed with the others)."""
    # The array work (about 10 ms for 100 000 bars) off the event loop's thread: numpy releases
    # the GIL in it, so requests are served meanwhile.
    bars = await asyncio.to_thread(_Bars.of, tables)
    ids = bars.symbols.tolist()
    names = {} if known is None else known
    missing = [i for i in ids if i not in names]
    if missing:
        names.update(
            (row.id, row.symbol) for row in await SymbolRepository(session).get_many(missing)
        )
    order = sorted(range(len(ids)), key=lambda k: names[ids[k]])
    history = await asyncio.to_thread(_on_grid, bars, order, [names[ids[k]] for k in order])
    return history, [ids[k] for k in order]


def _on_grid(bars: _Bars, order: Sequence[int], symbols: list[str]) -> MarketHistory:
    """`bars` on one hourly grid, the symbols (`bars.symbols[k]` for k in `order`) as rows."""
    row_of_symbol = np.empty(len(order), dtype=np.int64)
    row_of_symbol[list(order)] = np.arange(len(order))
    firsts = np.full(len(order), np.iinfo(np.int64).max)
    lasts = np.full(len(order), np.iinfo(np.int64).min)
    np.minimum.at(firsts, bars.symbol_of_bar, bars.open_ms)
    np.maximum.at(lasts, bars.symbol_of_bar, bars.open_ms)
    grid = common_grid(firsts.tolist(), lasts.tolist())
    arrays = [np.full((len(order), grid.size), np.nan) for _ in range(5)]
    at_row, at_column = row_of_symbol[bars.symbol_of_bar], (bars.open_ms - grid[0]) // HOUR_MS
    for field, values in enumerate(arrays):
        values[at_row, at_column] = bars.ohlcv[:, field]
    return MarketHistory(
        symbols=symbols,
        grid_ms=grid,
        open=arrays[0],
        high=arrays[1],
        low=arrays[2],
        close=arrays[3],
        volume=arrays[4],
        funding=[None] * len(order),
    )
