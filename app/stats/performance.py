"""Performance figures, one definition of each: total return, CAGR, volatility, Sharpe, Sortino,
Calmar, max drawdown and turnover.

Returns are simple returns per period (0.01 = 1 %); an equity curve is a book's value over time,
from any start. Annualised figures scale by `per_year`, the periods in a year (365 for daily
returns of a market that trades every day, 8760 for hourly ones): the volatility, Sharpe and
Sortino by its square root; there is no risk-free rate unless one is given. The callers choose
what to measure and how to show a figure that is undefined: the replay's reports and the records
(`app.books.simulation.strategy_figures.strategy_figures`) read a book's hourly equity day by
day, portfolio analytics (`app.portfolio.maths.risk_statistics.risk_report`) the returns it
has, missing ones dropped.

Two callers computed some figures their own way before these had one home; where that could
change a number, the difference is a parameter, so that each kept its own to the bit:

- `sharpe`: a series whose returns are all equal has no Sharpe for portfolio analytics
  (`equal_is_flat`), while the replay only asks for a positive deviation (the deviation computed
  of equal returns can be a rounding residue rather than 0);
- `cagr`: more than everything lost (a growth below 0) is no rate for the replay, -1 for
  portfolio analytics (`ruin`).

The row forms (`row_*`) measure many books or symbols at once with numpy's row reductions.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt


def total_return(equity: np.ndarray) -> float:
    """The last value of an equity curve over its first, less 1."""
    return float(equity[-1] / equity[0] - 1.0)


def cagr(growth: float, spans_per_year: float, *, ruin: float = math.nan) -> float:
    """The compound annual growth rate of a span over which equity was multiplied by `growth`:
    growth ** spans_per_year - 1, `spans_per_year` being how many such spans a year holds (365 /
    days). -1 when everything was lost (a growth of 0); `ruin` when more than everything was, or
    the growth is unknown."""
    if growth > 0.0:
        return float(growth**spans_per_year - 1.0)
    return -1.0 if growth == 0.0 else ruin


def volatility(returns: np.ndarray, per_year: float) -> float:
    """The annualised sample (ddof=1) standard deviation of `returns`; NaN under two."""
    if returns.size < 2:
        return math.nan
    return float(returns.std(ddof=1)) * math.sqrt(per_year)


def sharpe(
    returns: npt.ArrayLike,
    per_year: float,
    *,
    risk_free: float = 0.0,
    equal_is_flat: bool = False,
) -> float | None:
    """The annualised Sharpe ratio: the mean return in excess of `risk_free` (per period) over
    its sample (ddof=1) standard deviation, times sqrt(per_year). None under two returns or
    without a positive deviation; with `equal_is_flat`, also when every return is the same."""
    excess = np.asarray(returns, dtype=float) - risk_free
    if excess.size < 2 or (equal_is_flat and np.ptp(excess) == 0.0):
        return None
    std = float(excess.std(ddof=1))
    return float(excess.mean()) / std * math.sqrt(per_year) if std > 0 else None


def sortino(returns: npt.ArrayLike, per_year: float, *, target: float = 0.0) -> float | None:
    """The annualised Sortino ratio: the mean return in excess of `target` over the downside
    deviation sqrt(mean(min(r - target, 0) ** 2)), the mean taken over ALL periods (the usual
    "target downside deviation"), times sqrt(per_year). None without returns or without a
    period below target."""
    excess = np.asarray(returns, dtype=float) - target
    if excess.size == 0:
        return None
    downside = math.sqrt(float(np.mean(np.minimum(excess, 0.0) ** 2)))
    return float(excess.mean()) / downside * math.sqrt(per_year) if downside > 0 else None


def max_drawdown(equity: npt.ArrayLike) -> float:
    """The largest fall of an equity curve from its running peak, as a fraction of that peak
    (0.25 = 25 %); NaN without a point."""
    curve = np.asarray(equity, dtype=float)
    if curve.size == 0:
        return math.nan
    peaks = np.maximum.accumulate(curve)
    return float(np.max(1.0 - curve / peaks))


def calmar(growth_rate: float, drawdown: float) -> float | None:
    """The Calmar ratio: a CAGR (`cagr`) over the max drawdown; None without a drawdown (0)."""
    return None if drawdown == 0.0 else growth_rate / drawdown


def mean_turnover(turnovers: Sequence[float]) -> float:
    """The mean turnover per decision (each the sum of |weight change|); NaN without one."""
    return float(np.mean(turnovers)) if len(turnovers) else math.nan


def equity_of(returns: npt.ArrayLike) -> np.ndarray:
    """The equity curve `returns` compound from 1.0 (one point more than returns)."""
    growth: np.ndarray = np.cumprod(1.0 + np.asarray(returns, dtype=float))
    return np.concatenate(([1.0], growth))


def row_total_returns(returns: np.ndarray) -> np.ndarray:
    """The total return of each row of `(k, n)` per-period returns, compounded."""
    total: np.ndarray = np.prod(1.0 + returns, axis=1) - 1.0
    return total


def row_volatilities(returns: np.ndarray, per_year: float) -> np.ndarray:
    """`volatility` of each row of `(k, n)` per-period returns (n >= 2)."""
    volatilities: np.ndarray = returns.std(axis=1, ddof=1) * np.sqrt(per_year)
    return volatilities


def row_sharpes(returns: np.ndarray, per_year: float) -> np.ndarray:
    """The Sharpe ratio of each row of `(k, n)` per-period returns (n >= 2; NaN without a
    positive deviation)."""
    std = returns.std(axis=1, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios: np.ndarray = np.where(
            std > 0, returns.mean(axis=1) / std * math.sqrt(per_year), np.nan
        )
    return ratios


def row_max_drawdowns(curves: np.ndarray) -> np.ndarray:
    """`max_drawdown` of each row of `(k, T)` curves (prices, equity), NaNs skipped; NaN for a
    row without a value."""
    peaks = np.fmax.accumulate(curves, axis=1)  # fmax ignores NaN
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN row's max is NaN
        drawdowns: np.ndarray = np.nanmax(1.0 - curves / peaks, axis=1)
    return drawdowns
