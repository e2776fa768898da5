"""Builds `MarketInputs` from plain rows: candles on a common hourly grid plus per-symbol values.

The live run and a re-score of a stored run both go through here, so the same stored inputs
always give the same arrays.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from app.market.contracts.depth import BOOK_LEVELS
from app.platform.core.units import HOUR_MS
from app.scoring.scorers.market_inputs import MarketInputs

FUNDING_POINTS = 42  # 14 days of 8-hourly settlements


@dataclass(frozen=True)
class SymbolValues:
    """Everything but candles that the scorer reads for one symbol (all plain floats)."""

    symbol: str
    is_open: bool
    turnover_24h: float | None
    open_interest_usdt: float | None
    previous_open_interest_usdt: float | None
    funding_rate: float | None
    funding_interval_h: float | None
    funding_history: Sequence[float] = ()
    ticker_age_s: float | None = None
    bids: Sequence[Sequence[float]] = ()  # (price, base size), best first
    asks: Sequence[Sequence[float]] = ()
    multiplier: float = 1.0  # base coins per lot: candle volumes arrive in lots
    category: str | None = None  # an admin's category override (None: the evidence below)
    exchange_class: str | None = None  # KuCoin's `assetClass` (None: the row did not say)
    data_category: str | None = None  # the session rule's verdict for the day (None: not run)


def assemble(
    values: Sequence[SymbolValues],
    candles: np.ndarray,
    grid_end_ms: int,
    length: int,
    step_ms: int = HOUR_MS,
    benchmark: str = "BTCUSDT",
) -> MarketInputs:
    """`candles`: (m, 7) rows of (position in `values`, open ms, open, high, low, close, volume
    in lots), at most one per symbol and open time (as stored); rows off the grid or without a
    position are left out."""
    n = len(values)
    grid_start = grid_end_ms - (length - 1) * step_ms
    ohlcv = np.full((5, n, length), np.nan)
    rows = np.asarray(candles, dtype=float).reshape(-1, 7)
    i = rows[:, 0].astype(np.int64)
    k, rest = np.divmod(rows[:, 1].astype(np.int64) - grid_start, step_ms)
    on_grid = (i >= 0) & (i < n) & (rest == 0) & (k >= 0) & (k < length)
    i, k, rows = i[on_grid], k[on_grid], rows[on_grid]
    multipliers = np.array([v.multiplier for v in values], dtype=float)
    ohlcv[:4, i, k] = rows[:, 2:6].T
    ohlcv[4, i, k] = rows[:, 6] * multipliers[i]
    return MarketInputs(
        symbols=[v.symbol for v in values],
        open=ohlcv[0],
        high=ohlcv[1],
        low=ohlcv[2],
        close=ohlcv[3],
        volume=ohlcv[4],
        is_open=np.array([v.is_open for v in values], dtype=bool),
        turnover_24h=_vector(v.turnover_24h for v in values),
        open_interest_usdt=_vector(v.open_interest_usdt for v in values),
        previous_open_interest_usdt=_vector(v.previous_open_interest_usdt for v in values),
        funding_rate=_vector(v.funding_rate for v in values),
        funding_interval_h=_vector(v.funding_interval_h for v in values),
        funding_history=_padded([v.funding_history[-FUNDING_POINTS:] for v in values]),
        bid=_vector(v.bids[0][0] if v.bids else None for v in values),
        ask=_vector(v.asks[0][0] if v.asks else None for v in values),
        ticker_age_s=_vector(v.ticker_age_s for v in values),
        bid_levels=_levels([v.bids for v in values]),
        ask_levels=_levels([v.asks for v in values]),
        benchmark=benchmark,
        as_of_ms=grid_end_ms + step_ms,
        category=tuple(v.category for v in values),
        exchange_class=tuple(v.exchange_class for v in values),
        data_category=tuple(v.data_category for v in values),
    )


def _vector(items: Iterable[float | None]) -> np.ndarray:
    return np.array([np.nan if x is None else float(x) for x in items], dtype=float)


def _padded(series: Sequence[Sequence[float]]) -> np.ndarray:
    """Right-aligned rows (newest last), NaN-padded on the left."""
    width = max((len(s) for s in series), default=0)
    out = np.full((len(series), max(width, 1)), np.nan)
    for i, s in enumerate(series):
        if s:
            out[i, width - len(s) :] = s
    return out


def _levels(books: Sequence[Sequence[Sequence[float]]]) -> np.ndarray:
    out = np.full((len(books), BOOK_LEVELS, 2), np.nan)
    for i, book in enumerate(books):
        levels = list(book)[:BOOK_LEVELS]
        if levels:
            out[i, : len(levels)] = levels
    return out
