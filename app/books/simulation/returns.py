"""Hourly log returns of symbols as known at t, and their correlation table (what the policy's
correlation limit and weights read)."""

from __future__ import annotations

import numpy as np

from app.books.simulation.decision_context import Context
from app.books.simulation.market_history import PointInTime
from app.portfolio.maths.correlation import pairwise_correlation
from app.portfolio.policy.replacement_facts import CorrelationTable


def hourly_returns(view: PointInTime, rows: list[int], hours: int) -> np.ndarray:
    closes = view.candles("close", hours + 1)[rows]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.diff(np.log(closes), axis=1)


def recent_returns(ctx: Context, ids: list[int], hours: int) -> np.ndarray:
    """`hourly_returns(ctx.view, ids, hours)`, taken from the scorer's returns when its window
    covers them (the same logs of the same closes)."""
    returns = ctx.returns
    index = [ctx.positions.get(i, -1) for i in ids]
    if returns is None or returns.shape[1] < hours or -1 in index:
        return hourly_returns(ctx.view, ids, hours)
    return returns[index, returns.shape[1] - hours :]


def correlation_table(ctx: Context, ids: list[int], hours: int) -> CorrelationTable:
    """The pairwise correlations of `ids`' last `hours` hourly returns at `ctx.t_ms`."""
    return CorrelationTable(ids, pairwise_correlation(recent_returns(ctx, ids, hours)))
