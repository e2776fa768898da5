"""The data rule of what a contract is (`app.market.contracts.trading_sessions`) over a replay's
history: decided once a UTC day from the candles closed by its 00:00, as the live service decides
it, and kept for the history's other decisions of that day."""

from __future__ import annotations

import numpy as np

from app.books.simulation.market_history import FIELDS, MarketHistory, PointInTime
from app.market.contracts.trading_sessions import (
    MARKET,
    WINDOW_HOURS,
    SessionFigures,
    day_start_ms,
    session_figures,
)
from app.platform.core.units import HOUR_MS


def day_figures(
    history: MarketHistory, day_ms: int, market: MarketHistory | None = None
) -> list[SessionFigures]:
    """Every symbol's figures for the day starting at `day_ms` (00:00 UTC), from the candles
    closed by then, the crypto market's (`MARKET`) among them: `history`'s own rows, or those of
    `market` (a history on the same hourly grid times) where `history` has none."""
    at = history.at(day_ms)
    o, h, lo, c, v = (at.candles(name, WINDOW_HOURS) for name in FIELDS)
    open_ms = int(history.grid_ms[0]) + HOUR_MS * np.arange(at.end - WINDOW_HOURS, at.end)
    return session_figures(open_ms, o, h, lo, c, v, market_closes(history, market, day_ms))


def market_closes(
    history: MarketHistory, market: MarketHistory | None, day_ms: int
) -> np.ndarray | None:
    """`(m, WINDOW_HOURS)` the closes of `MARKET`'s contracts known by `day_ms`, on the columns
    `history.at(day_ms)` reads (NaN where an hour is not on `market`'s grid); None: none held."""
    rows = [history.index_of(s) for s in MARKET if s in history.symbols]
    if rows:
        return history.at(day_ms).candles("close", WINDOW_HOURS)[rows]
    held = [market.index_of(s) for s in MARKET if s in market.symbols] if market else []
    if market is None or not held:
        return None
    end = history.at(day_ms).end
    hours = int(history.grid_ms[0]) + HOUR_MS * np.arange(end - WINDOW_HOURS, end)
    known = market.at(day_ms)  # columns [0, known.end) of its grid: closed by `day_ms`
    columns = (hours - int(market.grid_ms[0])) // HOUR_MS
    inside = (columns >= 0) & (columns < known.end)
    out = np.full((len(held), WINDOW_HOURS), np.nan)
    if known.end:
        out[:, inside] = known.candles("close", known.end)[held][:, columns[inside]]
    return out


def data_categories(view: PointInTime) -> tuple[str, ...]:
    """Every symbol's data verdict for the day of `view.t_ms` (computed once per day and
    history: a few bytes a symbol, kept for the history's life)."""
    day = day_start_ms(view.t_ms)
    verdicts = view.history.data_verdicts
    if day not in verdicts:
        verdicts[day] = tuple(f.verdict for f in day_figures(view.history, day))
    return verdicts[day]
