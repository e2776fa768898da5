"""`judge` at other costs and lags: the slippage levels and execution lags every candidate is
also judged at, as variants of the one book run (`replay.run.Variant`: the same scoring and
policy decisions traded and judged again, no second run), and each candidate's figures there.

A candidate's `sensitivity` on one dataset:

    {"lags": {"0": figures, "1": figures},              # at the run's slippage
     "slippage_bps": {"0": ..., "5": ..., "10": ..., "20": ...}}  # at the run's lag

figures: the book's total_return, sharpe, max_drawdown, turnover, fees; its alpha on the
universe (annualised, HAC t); the composite's IC (raw and universe-residual: mean, t, HAC t, n)
and its raw decile spread, over whole decision periods. The run's own lag and slippage are
the main run's figures, repeated in both tables.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from app.books.simulation.replay_params import ReplayParams
from app.books.simulation.replay_report import StrategyFigures
from app.books.simulation.selection_skill import SelectionSeries
from app.lab.calibration.calibration_report import Sensitivity, VariantFigures
from app.lab.replay.schedules import BookRun, Variant
from app.stats.ic import MeanT, mean_t
from app.stats.skill import periods_per_year, regression

LAGS_H = (0, 1)
SLIPPAGE_BPS = (0.0, 5.0, 10.0, 20.0)


def variants(params: ReplayParams) -> list[Variant]:
    """The lags and slippage levels other than `params`' own, each at the other's base."""
    lags = [Variant(f"lag_{h}", execution_lag_h=h) for h in LAGS_H if h != params.execution_lag_h]
    slippage = [
        Variant(f"slippage_{bps:g}", slippage_bps=bps)
        for bps in SLIPPAGE_BPS
        if bps != params.slippage_bps
    ]
    return [*lags, *slippage]


def sensitivity(run: BookRun, track: str, params: ReplayParams) -> Sensitivity:
    """`track`'s figures at every lag and slippage level of `variants(params)` and at the run's
    own."""

    def at(name: str | None) -> VariantFigures:
        of = run if name is None else run.variants[name]
        return figures(of.strategies[track], of.selection, track)

    own = at(None)
    return {
        "lags": {
            str(h): own if h == params.execution_lag_h else at(f"lag_{h}")
            for h in sorted({*LAGS_H, params.execution_lag_h})
        },
        "slippage_bps": {
            f"{bps:g}": own if bps == params.slippage_bps else at(f"slippage_{bps:g}")
            for bps in sorted({*SLIPPAGE_BPS, params.slippage_bps})
        },
    }


def figures(book: StrategyFigures, series: SelectionSeries, track: str) -> VariantFigures:
    """One track's book figures, alpha and composite IC in one variant."""
    whole = series.full_periods()
    ranking = whole.rankings[track]
    skill = regression(whole.books[track], whole.universe, periods_per_year(whole.every_h))
    return {
        "total_return": book["total_return"],
        "sharpe": book["sharpe"],
        "max_drawdown": book["max_drawdown"],
        "turnover": book["turnover"],
        "fees": book["fees"],
        "alpha_annualised": skill["alpha_annualised"],
        "alpha_t_hac": skill["alpha_t_hac"],
        "ic_raw": _mean_known(ranking.ic_raw),
        "ic_residual_universe": _mean_known(ranking.ic_residual),
        "decile_spread_raw": _mean_known(ranking.spread_raw),
    }


def _mean_known(values: Sequence[float] | np.ndarray) -> MeanT:
    array = np.asarray(values, dtype=float)
    return mean_t(array[np.isfinite(array)].tolist())
