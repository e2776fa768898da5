"""What the heavy portfolio reads compute in the reads worker process
(`app.platform.runtime.offload`): hourly log returns over a window of stored closes, and from them
the correlation report, the risk figures of the current weights and the risk-based weights. Pure,
and picklable.

On a thread of the service these held the GIL: ten callers asking for distinct windows kept
`/health`'s p99 near 0.3 s (tests/bench/bench_heavy_windows.py). The service reads the closes as one
float table and sends it here; the grid, the returns and the maths all run in the worker.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from app.platform.core.units import HOUR_MS, HOURS_PER_YEAR
from app.portfolio.maths import correlation, risk_statistics
from app.portfolio.policy.weight_rules import risk_inputs
from app.stats.distinct import distinct


@dataclass(frozen=True)
class Closes:
    """The stored hourly closes of `symbol_ids` (in that order; an id may come twice) opening
    on the grid of `hours + 1` hours from `start_ms`: rows of (symbol id, open time in epoch ms,
    close), in any order."""

    symbol_ids: tuple[int, ...]
    table: np.ndarray
    start_ms: int
    hours: int


@dataclass(frozen=True)
class CorrelationReport:
    window_hours: int
    symbols: list[str]
    matrix: list[list[float | None]]
    correlation_limit: float
    pairs_over_limit: list[tuple[str, str, float]]
    average_pairwise: float | None
    clusters: list[list[str]]
    beta_to_btc: dict[str, float | None]
    common_hours: int


def log_returns(closes: Closes) -> np.ndarray:
    """`(n, hours)` hourly log returns, a row per symbol asked; NaN where a candle is missing
    (never filled) or its close is not a positive number."""
    asked = np.asarray(closes.symbol_ids, dtype=float)
    known = distinct(asked)
    grid = np.full((known.size, closes.hours + 1), np.nan)
    table = closes.table
    column = (table[:, 1] - closes.start_ms) // HOUR_MS
    on_grid = (column >= 0) & (column <= closes.hours)
    rows = np.searchsorted(known, table[on_grid, 0])
    grid[rows, column[on_grid].astype(np.intp)] = table[on_grid, 2]
    grid = grid[np.searchsorted(known, asked)]  # a symbol asked twice has its row twice
    grid[~(grid > 0) | ~np.isfinite(grid)] = np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.diff(np.log(grid), axis=1)


def correlation_report(closes: Closes, names: list[str], limit: float) -> CorrelationReport:
    """Pearson correlation of the members' returns over the window, and their betas to the
    benchmark: `closes` holds the members' (named `names`), then the benchmark's when it is
    stored (a member benchmark comes twice, on purpose)."""
    returns = log_returns(closes)
    members = returns[: len(names)]
    benchmark = returns[-1] if len(closes.symbol_ids) > len(names) else None
    window = closes.hours
    corr = correlation.pairwise_correlation(members) if names else np.empty((0, 0))
    betas: dict[str, float | None] = {}
    if benchmark is not None:
        for name, row in zip(names, members, strict=True):
            betas[name] = correlation.beta(row, benchmark)
    complete = ~np.isnan(members).any(axis=0) if names else np.zeros(window, dtype=bool)
    return CorrelationReport(
        window_hours=window,
        symbols=names,
        matrix=[[None if np.isnan(v) else round(float(v), 6) for v in row] for row in corr],
        correlation_limit=limit,
        pairs_over_limit=correlation.pairs_over(corr, names, limit) if names else [],
        average_pairwise=correlation.average_pairwise(corr) if names else None,
        clusters=correlation.clusters(corr, names, limit) if names else [],
        beta_to_btc=betas,
        common_hours=int(complete.sum()),
    )


def risk_figures(
    closes: Closes, weights: list[float], level: float
) -> tuple[int, risk_statistics.RiskReport] | None:
    """The book's observations and risk report over the window; None with fewer than 2
    returns."""
    simple = np.expm1(log_returns(closes))  # compounding statistics want simple returns
    book = risk_statistics.portfolio_returns(simple.T, weights)
    known = book[~np.isnan(book)]
    if known.size < 2:
        return None
    return int(known.size), risk_statistics.risk_report(known, HOURS_PER_YEAR, level)


def risk_weights(closes: Closes, weigh: Callable[..., np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The annualised volatilities over the window, and `weigh(volatilities=, covariance=)`
    (HRP and risk parity optimise over the covariance); `InsufficientReturns` without enough
    common hours."""
    volatilities, covariance = risk_inputs(log_returns(closes))
    return volatilities, weigh(volatilities=volatilities, covariance=covariance)
