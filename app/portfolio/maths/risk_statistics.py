"""Performance and risk statistics of a series of periodic simple returns.

Returns are fractions per period (0.01 = 1%). NaN entries (periods without data) are dropped
before any one-series statistic, so a gap shortens the series rather than poisoning it.
Annualisation scales by `periods_per_year` (e.g. 365 for daily bars of a 24/7 market). The
performance figures (volatility, Sharpe, Sortino, Calmar, max drawdown) are
`app.stats.performance`'s: a series whose returns are all equal has no Sharpe here, and a CAGR
once more than everything is lost is -1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.stats.performance import (
    cagr,
    calmar,
    equity_of,
    max_drawdown,
    sharpe,
    sortino,
    volatility,
)

# (1 - level) * N is often meant to be a whole number but lands just below it in binary floating
# point, e.g. (1 - 0.8) * 20 = 3.999999999999999; the nudge keeps floor() on the intended index.
_INDEX_EPS = 1e-9


def _series(returns: npt.ArrayLike) -> np.ndarray:
    r = np.asarray(returns, dtype=float)
    if r.ndim != 1:
        raise ValueError(f"returns must be one-dimensional, got shape {r.shape}")
    return r[np.isfinite(r)]  # a missing (NaN) or impossible (±inf) return measures nothing


def _check_periods(periods_per_year: float) -> None:
    if not periods_per_year > 0:
        raise ValueError(f"periods_per_year must be positive, got {periods_per_year}")


def _check_level(level: float) -> None:
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be strictly between 0 and 1, got {level}")


def _tail(returns: npt.ArrayLike, level: float) -> tuple[np.ndarray, float]:
    """Sorted returns and the return at the VaR index floor((1 - level) * N)."""
    _check_level(level)
    r = np.sort(_series(returns))
    if r.size == 0:
        raise ValueError("no returns to measure")
    k = min(math.floor((1.0 - level) * r.size + _INDEX_EPS), r.size - 1)
    return r, float(r[k])


def historical_var(returns: npt.ArrayLike, level: float = 0.95) -> float:
    """Historical Value at Risk at `level`, as a positive loss fraction.

    With the N returns sorted ascending (r[0] the worst), VaR = -r[k] for
    k = floor((1 - level) * N). This is the empirical `level`-quantile of the losses -r taken as
    the generalised inverse of their empirical CDF (numpy's method="inverted_cdf"): the smallest
    loss that at least `level` of the periods do not exceed. E.g. N = 20, level = 0.95 gives
    k = 1, the second-worst return. A negative result means even that tail return was a gain.
    """
    return -_tail(returns, level)[1]


def expected_shortfall(returns: npt.ArrayLike, level: float = 0.95) -> float:
    """Historical expected shortfall: mean loss of the returns at or below -VaR (so ES >= VaR).

    The tail is every return <= -historical_var(returns, level), ties with it included; with the
    convention above that is at least the k + 1 worst returns.
    """
    r, cutoff = _tail(returns, level)
    return -float(r[r <= cutoff].mean())


def win_rate(pnls: npt.ArrayLike) -> float | None:
    """Share of strictly positive PnLs among all records (a zero counts as not a win)."""
    p = _series(pnls)
    if p.size == 0:
        return None
    return float(np.count_nonzero(p > 0.0) / p.size)


def _fractions(weights_pct: npt.ArrayLike) -> np.ndarray:
    w = np.abs(np.asarray(weights_pct, dtype=float))
    total = float(w.sum()) if w.size else 0.0
    if w.ndim != 1 or not total > 0.0:
        raise ValueError("weights must be a non-empty 1-D array with a positive total")
    return w / total


def herfindahl(weights_pct: npt.ArrayLike) -> float:
    """Herfindahl-Hirschman index: sum of squared weight fractions, in (0, 1].

    Weights are taken by absolute value (a short concentrates risk as much as a long) and
    normalised by their total, so a partly invested book is measured on its invested part.
    """
    return float(np.sum(_fractions(weights_pct) ** 2))


def effective_members(weights_pct: npt.ArrayLike) -> float:
    """Effective number of equally weighted members: 1 / HHI."""
    return 1.0 / herfindahl(weights_pct)


def portfolio_returns(member_returns: np.ndarray, weights_pct: npt.ArrayLike) -> np.ndarray:
    """Per-period return of a fixed-weight book; missing members' weight goes to those present.

    `member_returns` is (T, n), `weights_pct` is (n,) in percent of equity; weights need not sum
    to 100 (the rest is cash at zero return). In a row where some members are NaN, their weight
    is redistributed pro rata over the members present, keeping the row's total weight. A row
    with no member present (or zero present weight) is NaN.
    """
    r = np.asarray(member_returns, dtype=float)
    w = np.asarray(weights_pct, dtype=float) / 100.0
    if r.ndim != 2 or w.shape != (r.shape[1],):
        raise ValueError(f"need returns (T, n) and weights (n,), got {r.shape} and {w.shape}")
    present = ~np.isnan(r)
    present_weight = present @ w
    gross = np.where(present, r, 0.0) @ w
    out = np.full(r.shape[0], np.nan)
    ok = present_weight != 0.0
    out[ok] = gross[ok] * (w.sum() / present_weight[ok])
    return out


@dataclass(frozen=True)
class RiskReport:
    """The headline risk and performance numbers of one return series."""

    observations: int
    mean: float  # per period, not annualised
    volatility: float | None  # annualised sample standard deviation
    sharpe: float | None
    sortino: float | None
    calmar: float | None
    max_drawdown: float
    var: float  # historical VaR at `level`, positive loss fraction
    es: float  # historical expected shortfall at `level`
    level: float


def risk_report(returns: npt.ArrayLike, periods_per_year: float, level: float = 0.95) -> RiskReport:
    """All headline statistics of `returns` at once; ValueError when there is no data."""
    _check_periods(periods_per_year)
    r = _series(returns)
    if r.size == 0:
        raise ValueError("no returns to report on")
    drawdown = max_drawdown(equity_of(r))
    return RiskReport(
        observations=int(r.size),
        mean=float(r.mean()),
        volatility=volatility(r, periods_per_year) if r.size >= 2 else None,
        sharpe=sharpe(r, periods_per_year, equal_is_flat=True),
        sortino=sortino(r, periods_per_year),
        calmar=_calmar(r, periods_per_year, drawdown),
        max_drawdown=drawdown,
        var=historical_var(r, level),
        es=expected_shortfall(r, level),
        level=level,
    )


def _calmar(r: np.ndarray, periods_per_year: float, drawdown: float) -> float | None:
    """The CAGR over the years `r` spans (-1 once more than everything is lost), over the max
    drawdown; the CAGR only with a drawdown to divide by (a float power can overflow)."""
    if drawdown == 0.0:
        return None
    years = r.size / periods_per_year
    return calmar(cagr(float(np.prod(1.0 + r)), 1.0 / years, ruin=-1.0), drawdown)
