"""The data rule of what a contract is (`app.market.contracts.trading_sessions`) over a replay's
history: decided once a UTC day from the candles closed by its 00:00, as the live service decides
it, and kept for the history's other decisions of that day."""

from __future__ import annotations

import numpy as np

from app.books.simulation.market_history import FIELDS, MarketHistory, PointInTime
from app.market.contracts.trading_sessions import (
    WINDOW_HOURS,
    SessionFigures,
    day_start_ms,
    session_figures,
)
from app.platform.core.units import HOUR_MS


def day_figures(history: MarketHistory, day_ms: int) -> list[SessionFigures]:
    """Every symbol's figures for the day starting at `day_ms` (00:00 UTC), from the candles
    closed by then."""
    at = history.at(day_ms)
    candles = [at.candles(name, WINDOW_HOURS) for name in FIELDS]
    open_ms = int(history.grid_ms[0]) + HOUR_MS * np.arange(at.end - WINDOW_HOURS, at.end)
    return session_figures(open_ms, *candles)


def data_categories(view: PointInTime) -> tuple[str, ...]:
    """Every symbol's data verdict for the day of `view.t_ms` (computed once per day and
    history: a few bytes a symbol, kept for the history's life)."""
    day = day_start_ms(view.t_ms)
    verdicts = view.history.data_verdicts
    if day not in verdicts:
        verdicts[day] = tuple(f.verdict for f in day_figures(view.history, day))
    return verdicts[day]
