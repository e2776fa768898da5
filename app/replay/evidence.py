"""Evidence: each strategy's figures from its equity, as the reports keep them.

Figures are computed on the equity sampled every 24 h from the first decision (daily returns,
annualised with 365 days; no risk-free rate): total return, CAGR, volatility, Sharpe, Sortino
(downside deviation over all days), Calmar (CAGR / max drawdown) and max drawdown, all as
fractions. Sharpe, Sortino and volatility read whole days only: a last day shorter than 24 h
is not counted as a full one (the total return, CAGR and drawdown do include the last mark).
"""

from __future__ import annotations

import math

import numpy as np

from app.replay.report import StrategyFigures
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
    total = float(equity[-1] / equity[0] - 1.0)
    cagr = (equity[-1] / equity[0]) ** (DAYS_PER_YEAR / days) - 1.0 if days > 0 else math.nan
    std = float(returns.std(ddof=1)) if returns.size > 1 else math.nan
    downside = float(np.sqrt(np.mean(np.minimum(returns, 0.0) ** 2))) if returns.size else math.nan
    mean = float(returns.mean()) if returns.size else math.nan
    peaks = np.maximum.accumulate(daily)
    drawdown = float(np.max(1.0 - daily / peaks)) if daily.size else math.nan
    sampled = equity[::sample_h]
    times = start_ms + np.arange(sampled.size, dtype=np.int64) * sample_h * 3_600_000
    curve = [[int(t), round(float(v), 10)] for t, v in zip(times, sampled, strict=True)]
    if (equity.size - 1) % sample_h:
        curve.append([int(start_ms + (equity.size - 1) * 3_600_000), round(float(equity[-1]), 10)])
    return {
        "total_return": rounded(total),
        "cagr": rounded(float(cagr)),
        "volatility": rounded(std * math.sqrt(DAYS_PER_YEAR)),
        "sharpe": rounded(mean / std * math.sqrt(DAYS_PER_YEAR)) if std > 0 else None,
        "sortino": rounded(mean / downside * math.sqrt(DAYS_PER_YEAR)) if downside > 0 else None,
        "calmar": rounded(float(cagr) / drawdown) if drawdown > 0 else None,
        "max_drawdown": rounded(drawdown),
        "turnover": rounded(float(np.mean(turnovers))) if turnovers else None,
        "fees": rounded(fees),
        "funding": rounded(funding),
        "equity": curve,
    }
