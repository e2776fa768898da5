"""The session rule's estimators (`app.market.contracts.trading_sessions`), free of its calendar
and thresholds: a figure, three ratios of medians multiplied, with its one-sided bounds; the
quietest of several such figures; the co-movement with the crypto market and its lower bound;
the busiest hours' share of a day's moves.

A figure's log has the standard error of three medians of independent hours taken as moving
together, `MEDIANS MEDIAN_SE sqrt(1/n1 + 1/n2)` for the candles n1 and n2 of its two sides.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MEDIAN_SE = 1.166
"""The relative standard error of the median of n independent half-normal values, times sqrt(n):
1 / (2 f(m) m) at the median m = 0.6745 sigma, f(m) = 2 phi(0.6745) / sigma."""
MEDIANS = 3
"""The three medians of a figure, taken as moving together (a busy hour has a wide range, a
large move and high volume at once): the conservative sum of their errors."""


@dataclass(frozen=True)
class Figure:
    """`(n,)` a figure (three ratios of medians multiplied) and its one-sided bounds."""

    value: np.ndarray
    low: np.ndarray
    high: np.ndarray
    ratios: tuple[np.ndarray, np.ndarray, np.ndarray]
    read: np.ndarray  # (n,) bool: each side holds enough candles


def figure(
    values: tuple[np.ndarray, ...],
    present: np.ndarray,
    quiet: np.ndarray,
    busy: np.ndarray,
    z: float,
    least: tuple[int, int],
) -> Figure:
    """The `quiet` hours' medians over the `busy` hours' (masks, `(T,)` or `(n, T)`) of each of
    `values` (`(n, T)`), multiplied, with bounds `z` standard errors of its log away; read
    where the two sides hold at least `least` candles."""
    ratios = tuple(
        ratio(median(np.where(quiet, x, np.nan)), median(np.where(busy, x, np.nan))) for x in values
    )
    value = ratios[0] * ratios[1] * ratios[2]
    n_quiet = (present & quiet).sum(axis=1)
    n_busy = (present & busy).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = MEDIANS * MEDIAN_SE * np.sqrt(1.0 / n_quiet + 1.0 / n_busy)
        margin = np.exp(z * se)
        low, high = value / margin, value * margin
    read = (n_quiet >= least[0]) & (n_busy >= least[1])
    nan = np.full(value.shape, np.nan)
    return Figure(
        value,
        np.where(read, low, nan),
        np.where(read, high, nan),
        (ratios[0], ratios[1], ratios[2]),
        read,
    )


def quietest_night(
    nights: dict[str, Figure], i: int
) -> tuple[tuple[str, float, float, float] | None, float]:
    """Row `i`'s template read with the smallest upper bound (its name, figure and bounds) and
    the smallest lower bound over the templates read (NaN: none read)."""
    read = [(name, f) for name, f in nights.items() if f.read[i] and not np.isnan(f.high[i])]
    if not read:
        return None, math.nan
    name, f = min(read, key=lambda item: float(item[1].high[i]))
    floor = min(float(g.low[i]) for _, g in read)
    return (name, float(f.value[i]), float(f.low[i]), float(f.high[i])), floor


def co_movement(
    close: np.ndarray, market_close: np.ndarray | None, weekend: np.ndarray, z: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`(n,)` each contract's correlation of its weekend hours' log returns (`weekend`: `(T,)`)
    with the market's (the mean of `market_close`'s rows present that hour), its one-sided
    lower bound `z` standard errors away (Fisher's z), and the hours both have a return (NaN
    correlations under 4 such hours)."""
    n = close.shape[0]
    if market_close is None or market_close.size == 0:
        nan = np.full(n, np.nan)
        return nan, nan.copy(), np.zeros(n, dtype=np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        own = np.diff(np.log(close), axis=1)
        theirs = np.diff(np.log(market_close), axis=1)
        counts = (~np.isnan(theirs)).sum(axis=0)
        market = np.where(counts > 0, np.nansum(theirs, axis=0) / np.maximum(counts, 1), np.nan)
    both = ~np.isnan(own) & (~np.isnan(market) & weekend[1:])[None, :]
    hours = both.sum(axis=1)
    x = np.where(both, own, 0.0)
    y = np.where(both, market[None, :], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        x_dev = np.where(both, x - x.sum(axis=1, keepdims=True) / hours[:, None], 0.0)
        y_dev = np.where(both, y - y.sum(axis=1, keepdims=True) / hours[:, None], 0.0)
        corr = (x_dev * y_dev).sum(axis=1) / np.sqrt(
            (x_dev**2).sum(axis=1) * (y_dev**2).sum(axis=1)
        )
        corr = np.where(hours >= 4, np.clip(corr, -1.0, 1.0), np.nan)
        low = np.tanh(np.arctanh(np.clip(corr, -0.999999, 0.999999)) - z / np.sqrt(hours - 3))
    return corr, np.where(np.isnan(corr), np.nan, low), hours


def ratio(quiet: np.ndarray, busy_median: np.ndarray) -> np.ndarray:
    """`(n,)` a weekend median over the busy hours' median, 1 where both are 0: no evidence."""
    with np.errstate(invalid="ignore", divide="ignore"):
        quotient = np.where(busy_median > 0, quiet / busy_median, np.where(quiet > 0, np.inf, 1.0))
    return np.where(np.isnan(quiet) | np.isnan(busy_median), np.nan, quotient)


def session_share(by_hour: np.ndarray, hours: int) -> np.ndarray:
    """`(n,)` from `(n, 24)` each hour's median weekday move: the `hours` largest over their sum
    (NaN without a weekday candle at every hour)."""
    total = by_hour.sum(axis=1)
    top = np.sort(by_hour, axis=1)[:, -hours:].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, top / total, np.nan)


def median(values: np.ndarray) -> np.ndarray:
    """`(n,)` each row's median of its present values (NaN for a row with none), as
    `np.nanmedian` gives it, to the bit: the middle value, or the mean of the middle two. One
    sort of the whole table (NaN sorts last): `np.nanmedian` walks a row at a time past 600
    columns, and was nine tenths of the session rule's time."""
    present = (~np.isnan(values)).sum(axis=1)
    out = np.full(values.shape[0], np.nan)
    some = present > 0
    if not some.any():
        return out
    ordered = np.sort(values[some], axis=1)
    count, row = present[some], np.arange(int(some.sum()))
    low, high = ordered[row, (count - 1) // 2], ordered[row, count // 2]
    out[some] = np.where(count % 2 == 1, low, (low + high) / 2)
    return out
