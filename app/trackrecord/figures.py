"""The as-run record's figures: over a window of its hours, each book's return, CAGR,
volatility, Sharpe, max drawdown, turnover and fees (the replay's `strategy_figures` on the
window's equity rebased to 1.0), and equity curves thinned to a bounded number of points."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from app.replay.evidence import strategy_figures

HOUR_MS = 3_600_000
MAX_POINTS = 1000
KEPT = ("total_return", "cagr", "volatility", "sharpe", "max_drawdown")


def window_figures(
    start_ms: int,
    equity: dict[str, np.ndarray],
    turnovers: dict[str, Sequence[float]],
    fees: dict[str, float],
) -> dict[str, dict[str, Any]]:
    """Every book's figures over one window (`equity`: hourly, the window's own hours; a
    single hour gives a zero return, no volatility or Sharpe)."""
    books: dict[str, Any] = {}
    for name, curve in equity.items():
        rebased = curve / curve[0]
        figures = strategy_figures(
            rebased, start_ms, turnovers=list(turnovers.get(name, ())),
            fees=fees.get(name, 0.0), funding=math.nan, sample_h=24,
        )  # fmt: skip
        books[name] = {k: figures[k] for k in (*KEPT, "turnover", "fees")}
    return books


def thinned(times_ms: np.ndarray, equity: np.ndarray) -> list[list[float]]:
    """At most `MAX_POINTS` of a curve, evenly spaced, its last point always kept."""
    step = max(1, math.ceil(times_ms.size / MAX_POINTS))
    picks = list(range(0, times_ms.size, step))
    if picks and picks[-1] != times_ms.size - 1:
        picks[-1] = times_ms.size - 1
    return [[int(times_ms[k]), round(float(equity[k]), 10)] for k in picks]
