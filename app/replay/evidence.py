"""Evidence: each strategy's figures from its equity, and information coefficients.

Figures are computed on the equity sampled every 24 h from the first decision (daily returns,
annualised with 365 days; no risk-free rate): total return, CAGR, volatility, Sharpe, Sortino
(downside deviation over all days), Calmar (CAGR / max drawdown) and max drawdown, all as
fractions. Sharpe, Sortino and volatility read whole days only: a last day shorter than 24 h
is not counted as a full one (the total return, CAGR and drawdown do include the last mark). The
information coefficient of a score at a decision is the Spearman correlation, across the scored
symbols, of the score at t with the return to the next decision (`app.stats.rank.spearman`).

Every mean of a per-decision series (`mean_t`) has its plain t and, beside it, its Newey-West t
(`t_hac`: `app.stats.hac`, lags `newey_west_lags(n)` = floor(4 (n / 100) ^ (2 / 9)), lagged
products kept within a dataset when several are pooled). The IC against returns net of BTC beta
is `residual_btc` (the selection section's universe-beta residual is `residual_universe`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from app.replay.report import IcFigures, MeanT, StrategyFigures
from app.stats.hac import hac_t

DAY_H = 24
DAYS_PER_YEAR = 365


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


@dataclass
class IcSeries:
    """One score's IC at each decision, with the market's direction over the next period."""

    values: list[float] = field(default_factory=list)
    residual: list[float] = field(default_factory=list)  # net of BTC beta
    market_up: list[bool] = field(default_factory=list)
    block: list[int] = field(default_factory=list)  # each decision's dataset once pooled

    def append(self, ic: float, residual: float, up: bool) -> None:
        """One decision's IC (known), its IC against beta-neutral returns (maybe NaN) and
        whether the benchmark rose over the period."""
        self.values.append(ic)
        self.residual.append(residual)
        self.market_up.append(up)
        self.block.append(self.block[-1] if self.block else 0)

    @classmethod
    def concat(cls, series: Iterable[IcSeries]) -> IcSeries:
        """The decisions of `series`, one after the other (each its own block for the HAC t)."""
        out = cls()
        for k, s in enumerate(series):
            out.values.extend(s.values)
            out.residual.extend(s.residual)
            out.market_up.extend(s.market_up)
            out.block.extend([k] * len(s.values))
        return out

    def summary(self) -> IcFigures:
        """Mean, t, HAC t and n of the IC, of the IC net of BTC beta (`residual_btc`) and of
        the IC over the periods the benchmark rose and fell."""
        blocks = self.block if len(self.block) == len(self.values) else [0] * len(self.values)
        rows = list(zip(self.values, self.residual, self.market_up, blocks, strict=True))

        def of(kept: list[tuple[float, int]]) -> MeanT:
            return mean_t([v for v, _ in kept], [b for _, b in kept])

        return {
            **of([(v, b) for v, _, _, b in rows]),
            "residual_btc": of([(r, b) for _, r, _, b in rows if not math.isnan(r)]),
            "up_market": of([(v, b) for v, _, u, b in rows if u]),
            "down_market": of([(v, b) for v, _, u, b in rows if not u]),
        }


def t_statistic(values: list[float]) -> float:
    """mean / (sample std / sqrt(n)); NaN under two values or without spread."""
    if len(values) < 2:
        return math.nan
    std = float(np.std(values, ddof=1))
    return float(np.mean(values)) / (std / math.sqrt(len(values))) if std > 0 else math.nan


def mean_t(values: list[float], blocks: list[int] | np.ndarray | None = None) -> MeanT:
    """The mean of a per-decision series (in decision order), its plain t, its Newey-West t
    (`t_hac`, lags floor(4 (n / 100) ^ (2 / 9)), never across two `blocks`) and how many."""
    if not values:
        return {"mean": None, "t": None, "t_hac": None, "n": 0}
    array = np.asarray(values, dtype=float)
    block = None if blocks is None else np.asarray(blocks)
    return {
        "mean": rounded(float(np.mean(array))),
        "t": rounded(t_statistic(values)),
        "t_hac": rounded(hac_t(array, blocks=block)),
        "n": len(values),
    }
