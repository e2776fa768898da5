"""The policy among random books: each random draw's total return, Sharpe and alpha over the
judged periods, and the percentile of a track among them (the report's `selection.random`).

`random` draws N members and keeps them while eligible (a near buy-and-hold book); its mean
book is a smooth benchmark that trades far less than the policy, so the policy is placed within
the draws' distribution rather than against their mean. `random_turnover` is the null at the
policy's own turnover: each draw replaces as many members, at random, as the policy replaced at
that decision (`baselines.RandomTurnover`).
"""

from __future__ import annotations

from typing import TypedDict

import numpy as np

from app.stats.hac import percentile_among
from app.stats.performance import row_sharpes, row_total_returns
from app.stats.rounding import rounded


class NullDistribution(TypedDict):
    """A null's random books (`null_distribution`): the draws' 5th, 50th and 95th
    percentiles by figure, and each track's percentile among them."""

    draws: int
    quantiles: dict[str, list[float | None]]
    percentile: dict[str, dict[str, float | None]]


def book_figures(books: np.ndarray, universe: np.ndarray, per_year: float) -> dict[str, np.ndarray]:
    """Each row's total return, Sharpe (annualised from its per-period returns; the row forms of
    `app.stats.performance`) and alpha (annualised OLS intercept on `universe`) over the periods
    where the universe and every row are known."""
    known = np.isfinite(universe) & np.isfinite(books).all(axis=0)
    r, x = books[:, known], universe[known]
    k, n = r.shape
    total = row_total_returns(r) if n else np.full(k, np.nan)
    sharpe = row_sharpes(r, per_year) if n > 1 else np.full(k, np.nan)
    alpha = np.full(k, np.nan)
    if n >= 3 and np.ptp(x) > 0:
        dx = x - x.mean()
        beta = (r - r.mean(axis=1, keepdims=True)) @ dx / float(dx @ dx)
        alpha = (r.mean(axis=1) - beta * x.mean()) * per_year
    return {"total_return": total, "sharpe": sharpe, "alpha": alpha}


def null_distribution(
    tracks: dict[str, np.ndarray], draws: np.ndarray, universe: np.ndarray, per_year: float
) -> NullDistribution:
    """The draws' total return, Sharpe and alpha as a distribution (5th, 50th and 95th
    percentiles), and where each track's falls among them (percent of draws below it, ties
    counted half), all over the periods where every book is known."""
    names = list(tracks)
    every = np.vstack([*(tracks[n][None, :] for n in names), draws]) if names else draws
    figures = book_figures(every, universe, per_year)
    drawn = {key: values[len(names) :] for key, values in figures.items()}
    return {
        "draws": int(draws.shape[0]),
        "quantiles": {
            key: [rounded(float(q)) for q in np.nanpercentile(values, (5, 50, 95))]
            if np.isfinite(values).any()
            else [None, None, None]
            for key, values in drawn.items()
        },
        "percentile": {
            name: {
                key: rounded(percentile_among(float(figures[key][i]), drawn[key]))
                for key in figures
            }
            for i, name in enumerate(names)
        },
    }
