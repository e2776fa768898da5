"""Evidence: each strategy's figures from its equity, and information coefficients.

Figures are computed on the equity sampled every 24 h from the first decision (daily returns,
annualised with 365 days; no risk-free rate): total return, CAGR, volatility, Sharpe, Sortino
(downside deviation over all days), Calmar (CAGR / max drawdown) and max drawdown, all as
fractions. The information coefficient of a score at a decision is the Spearman correlation,
across the scored symbols, of the score at t with the return to the next decision.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.scoring.normalise import percentile_rank

DAY_H = 24
DAYS_PER_YEAR = 365
MIN_SYMBOLS = 3  # fewer scored symbols with a forward return and an IC says nothing


def rounded(value: float) -> float | None:
    """A figure as reports keep it: 10 decimals, None when undefined."""
    return None if not math.isfinite(value) else round(value, 10)


def strategy_figures(
    equity: np.ndarray,
    start_ms: int,
    *,
    turnovers: list[float],
    fees: float,
    funding: float,
    sample_h: int,
) -> dict[str, Any]:
    """Figures of one hourly equity curve (index 0 = the first decision, value 1.0)."""
    daily = equity[::DAY_H]
    if (equity.size - 1) % DAY_H:
        daily = np.append(daily, equity[-1])
    returns = daily[1:] / daily[:-1] - 1.0
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


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Rank correlation over the pairs where both are known (ties share their mean rank)."""
    both = np.isfinite(x) & np.isfinite(y)
    if both.sum() < MIN_SYMBOLS:
        return math.nan
    rx, ry = percentile_rank(x[both]), percentile_rank(y[both])
    if rx.std() == 0 or ry.std() == 0:
        return math.nan
    return float(np.corrcoef(rx, ry)[0, 1])


@dataclass
class IcSeries:
    """One score's IC at each decision, with the market's direction over the next period."""

    values: list[float] = field(default_factory=list)
    residual: list[float] = field(default_factory=list)
    market_up: list[bool] = field(default_factory=list)

    def append(self, ic: float, residual: float, up: bool) -> None:
        """One decision's IC (known), its IC against beta-neutral returns (maybe NaN) and
        whether the benchmark rose over the period."""
        self.values.append(ic)
        self.residual.append(residual)
        self.market_up.append(up)

    @classmethod
    def concat(cls, series: Iterable[IcSeries]) -> IcSeries:
        """The decisions of `series`, one after the other."""
        out = cls()
        for s in series:
            out.values.extend(s.values)
            out.residual.extend(s.residual)
            out.market_up.extend(s.market_up)
        return out

    def summary(self) -> dict[str, Any]:
        up = [v for v, u in zip(self.values, self.market_up, strict=True) if u]
        down = [v for v, u in zip(self.values, self.market_up, strict=True) if not u]
        return {
            **mean_t(self.values),
            "residual": mean_t([v for v in self.residual if not math.isnan(v)]),
            "up_market": mean_t(up),
            "down_market": mean_t(down),
        }


def t_statistic(values: list[float]) -> float:
    """mean / (sample std / sqrt(n)); NaN under two values or without spread."""
    if len(values) < 2:
        return math.nan
    std = float(np.std(values, ddof=1))
    return float(np.mean(values)) / (std / math.sqrt(len(values))) if std > 0 else math.nan


def mean_t(values: list[float]) -> dict[str, Any]:
    """The mean of a series of ICs, its t-statistic and how many there are."""
    if not values:
        return {"mean": None, "t": None, "n": 0}
    return {"mean": rounded(float(np.mean(values))), "t": rounded(t_statistic(values)),
            "n": len(values)}  # fmt: skip
