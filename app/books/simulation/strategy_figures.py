"""Evidence: each strategy's figures from its equity, as the reports and the records keep them.

Figures (`app.stats.performance`) are computed on the equity sampled every 24 h from the first
decision (daily returns, annualised with 365 days; no risk-free rate): total return, CAGR,
volatility, Sharpe, Sortino (downside deviation over all days), Calmar (CAGR / max drawdown) and
max drawdown, all as fractions, and the mean turnover per decision. Sharpe, Sortino and
volatility read whole days only: a last day shorter than 24 h is not counted as a full one (the
total return, CAGR and drawdown do include the last mark).
"""

from __future__ import annotations

import math

import numpy as np

from app.books.simulation.replay_report import StrategyFigures
from app.platform.core.units import HOUR_MS
from app.stats.performance import (
    cagr,
    calmar,
    max_drawdown,
    mean_turnover,
    sharpe,
    sortino,
    total_return,
    volatility,
)
from app.stats.rounding import rounded

DAY_H = 24
DAYS_PER_YEAR = 365


def strategy_figures(
    equity: np.ndarray,
    start_ms: int,
    *,
    turnovers: list[float],
    fees: float,
    funding: float,
    sample_h: int,
) -> StrategyFigures:
    """Figures of one hourly equity curve (index 0 = the first decision, value 1.0)."""
    daily = equity[::DAY_H]  # whole days: a partial last day is no day's return
    returns = daily[1:] / daily[:-1] - 1.0
    if (equity.size - 1) % DAY_H:
        daily = np.append(daily, equity[-1])  # ... but its mark counts for the drawdown
    days = (equity.size - 1) / DAY_H
    rate = cagr(equity[-1] / equity[0], DAYS_PER_YEAR / days) if days > 0 else math.nan
    drawdown = max_drawdown(daily)
    sampled = equity[::sample_h]
    times = start_ms + np.arange(sampled.size, dtype=np.int64) * sample_h * HOUR_MS
    curve = [[int(t), round(float(v), 10)] for t, v in zip(times, sampled, strict=True)]
    if (equity.size - 1) % sample_h:
        curve.append([int(start_ms + (equity.size - 1) * HOUR_MS), round(float(equity[-1]), 10)])
    return {
        "total_return": rounded(total_return(equity)),
        "cagr": rounded(rate),
        "volatility": rounded(volatility(returns, DAYS_PER_YEAR)),
        "sharpe": _rounded(sharpe(returns, DAYS_PER_YEAR)),
        "sortino": _rounded(sortino(returns, DAYS_PER_YEAR)),
        "calmar": _rounded(calmar(rate, drawdown)),
        "max_drawdown": rounded(drawdown),
        "turnover": rounded(mean_turnover(turnovers)),
        "fees": rounded(fees),
        "funding": rounded(funding),
        "equity": curve,
    }


def _rounded(ratio: float | None) -> float | None:
    """`rounded`, None staying None (a ratio without a denominator)."""
    return None if ratio is None else rounded(ratio)
