"""The track record's figures: over a window of its hours, each strategy's return, Sharpe, max
drawdown, turnover and fees (the replay's `strategy_figures` on the window's equity rebased to
1.0), the policy's alpha and beta against the universe (the `equal_weight` book) on daily
returns, and equity curves thinned to a bounded number of points."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from app.replay.evidence import DAYS_PER_YEAR, strategy_figures
from app.replay.skill import regression

HOUR_MS = 3_600_000
UNIVERSE = "equal_weight"
MAX_POINTS = 1000
KEPT = ("total_return", "cagr", "volatility", "sharpe", "max_drawdown")


def daily_returns(equity: np.ndarray) -> np.ndarray:
    """Returns over each 24 hours from the window's start (and the last, shorter stretch)."""
    daily = equity[::24]
    if (equity.size - 1) % 24:
        daily = np.append(daily, equity[-1])
    return daily[1:] / daily[:-1] - 1.0


def window_figures(
    start_ms: int,
    equity: dict[str, np.ndarray],
    turnovers: dict[str, Sequence[float]],
    fees: dict[str, float],
) -> dict[str, Any]:
    """Every strategy's figures over one window (`equity`: hourly, the window's own hours),
    and the policy's alpha, beta and active return against the universe."""
    strategies: dict[str, Any] = {}
    for name, curve in equity.items():
        rebased = curve / curve[0]
        figures = strategy_figures(
            rebased, start_ms, turnovers=list(turnovers.get(name, ())),
            fees=fees.get(name, 0.0), funding=math.nan, sample_h=24,
        )  # fmt: skip
        strategies[name] = {k: figures[k] for k in (*KEPT, "turnover", "fees")}
    skill = None
    if "policy" in equity and UNIVERSE in equity:
        skill = regression(
            daily_returns(equity["policy"]), daily_returns(equity[UNIVERSE]), DAYS_PER_YEAR
        )
    return {"strategies": strategies, "against_universe": skill}


def thinned(times_ms: np.ndarray, equity: np.ndarray) -> list[list[float]]:
    """At most `MAX_POINTS` of a curve, evenly spaced, its last point always kept."""
    step = max(1, math.ceil(times_ms.size / MAX_POINTS))
    picks = list(range(0, times_ms.size, step))
    if picks and picks[-1] != times_ms.size - 1:
        picks[-1] = times_ms.size - 1
    return [[int(times_ms[k]), round(float(equity[k]), 10)] for k in picks]
