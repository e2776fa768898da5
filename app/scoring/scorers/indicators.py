"""Standard indicators on one series (TA-Lib) and return statistics on a whole universe (numpy).

TA-Lib's definitions are the standard ones: Wilder smoothing for RSI and ATR, EMAs seeded with
the SMA of their first period (MACD), Bollinger bands from the population standard deviation.
Series with missing candles are passed without the holes (as exchanges serve them).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

import numpy as np

from app.platform.core.units import HOURS_PER_YEAR

FloatArray = np.ndarray


def _unwrapped(function: Any) -> Any:
    """TA-Lib's own function, without the wrapper `talib` puts around it when pandas or polars
    is installed (it checks every argument for a Series: about 10 µs a call, more than RSI on
    720 closes; a replay calls these three per scored symbol and decision)."""
    return getattr(function, "__wrapped__", function)


@functools.cache
def _talib() -> ModuleType:
    """TA-Lib, imported at first use: the service's process imports this module (the runtime
    settings name the indicators' windows) and scores in its workers, which import TA-Lib at
    their first indicator (app.platform.runtime.offload); the service's own process scores only
    the forward record's books, and imports it where its scheduler starts (`load`): some 5 MB
    that a replica without a scheduler does not hold."""
    import talib

    return talib


def load() -> None:
    """Import TA-Lib now, not at the first indicator (a second where pandas is installed)."""
    _talib()


@functools.cache
def _function(name: str) -> Any:
    return _unwrapped(getattr(_talib(), name))


def rsi(close: FloatArray, period: int = 14) -> FloatArray:
    return np.asarray(_function("RSI")(close, timeperiod=period))


def macd_histogram(
    close: FloatArray, fast: int = 12, slow: int = 26, signal: int = 9
) -> FloatArray:
    _, _, hist = _function("MACD")(close, fastperiod=fast, slowperiod=slow, signalperiod=signal)
    return np.asarray(hist)


def bollinger(
    close: FloatArray, period: int = 20, width: float = 2.0
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(upper, middle, lower) bands."""
    talib = _talib()
    upper, middle, lower = talib.BBANDS(
        close, timeperiod=period, nbdevup=width, nbdevdn=width, matype=talib.MA_Type.SMA
    )
    return np.asarray(upper), np.asarray(middle), np.asarray(lower)


def ema(close: FloatArray, period: int) -> FloatArray:
    return np.asarray(_function("EMA")(close, timeperiod=period))


def efficiency_ratio(close: FloatArray, window: int, gappy: FloatArray | None = None) -> FloatArray:
    """Kaufman, per row of `(n, T)`: net move over path length of the last `window` + 1
    present bars (missing bars are skipped, as the other indicators skip them).

    0 is pure noise, 1 a straight line; fewer than `window` + 1 present bars give NaN.
    """
    if gappy is None:
        gappy = np.isnan(close).any(axis=1)
    tail = last_valid_window(close, window + 1, gappy)
    path = np.abs(np.diff(tail, axis=1)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(path > 0, np.abs(tail[:, -1] - tail[:, 0]) / path, 0.0)
    return np.where(np.isnan(tail[:, 0]), np.nan, ratio)


def is_flat(spread: FloatArray, scale: FloatArray) -> FloatArray:
    """Where a dispersion (a standard deviation, a band) is only floating-point noise on values
    of magnitude `scale`: identical values give 0 to ~1e-16 of their size, never exactly 0."""
    with np.errstate(invalid="ignore"):
        return np.abs(spread) <= 1e-12 * np.abs(scale)


def history_covers(values: FloatArray, bars: int) -> FloatArray:
    """Per row of `(n, T)`: the last `bars` columns were loaded (T >= bars) and the row's
    history reaches back into their first 5 % (a bar missing here and there is the gate's
    business, not a shorter window)."""
    if values.shape[1] < bars:
        return np.zeros(values.shape[0], dtype=bool)
    present = ~np.isnan(values)
    first = np.where(present.any(axis=1), present.argmax(axis=1), values.shape[1])
    return first <= values.shape[1] - bars + bars // 20


def forward_fill(values: FloatArray) -> FloatArray:
    """Carry the last seen value over NaNs along each row (for measuring moves between present
    bars only: the filled values are never kept or scored)."""
    index = np.where(~np.isnan(values), np.arange(values.shape[1]), 0)
    np.maximum.accumulate(index, axis=1, out=index)
    return np.take_along_axis(values, index, axis=1)


def log_returns(close: FloatArray) -> FloatArray:
    """Per-bar log returns of a `(n, T)` matrix; NaN where either bar is missing."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.diff(np.log(close), axis=-1)


def realised_volatility(returns: FloatArray, window: int) -> FloatArray:
    """Annualised standard deviation of the last `window` hourly returns of each row."""
    tail = returns[:, -window:]
    counts = np.sum(~np.isnan(tail), axis=1)
    with np.errstate(invalid="ignore"), quiet():
        sd = np.nanstd(tail, axis=1, ddof=1)
    return np.where(counts >= 2, sd * np.sqrt(HOURS_PER_YEAR), np.nan)


def beta_and_correlation(
    returns: FloatArray, benchmark: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Beta and Pearson correlation of every row to `benchmark`, over bars both have."""
    if not np.isnan(returns).any() and not np.isnan(benchmark).any():
        return _beta_and_correlation_complete(returns, benchmark)
    both = ~np.isnan(returns) & ~np.isnan(benchmark)[None, :]
    counts = both.sum(axis=1)
    x = np.where(both, returns, 0.0)
    y = np.where(both, benchmark[None, :], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mx = x.sum(axis=1) / counts
        my = y.sum(axis=1) / counts
        dx = np.where(both, x - mx[:, None], 0.0)
        dy = np.where(both, y - my[:, None], 0.0)
        cov = (dx * dy).sum(axis=1)
        var_x = (dx * dx).sum(axis=1)
        var_y = (dy * dy).sum(axis=1)
        beta = cov / var_y
        corr = cov / np.sqrt(var_x * var_y)
    enough = counts >= 3
    return np.where(enough, beta, np.nan), np.where(enough, corr, np.nan)


def _beta_and_correlation_complete(
    returns: FloatArray, benchmark: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """The same without missing bars: plain centred dot products."""
    dx = returns - returns.mean(axis=1, keepdims=True)
    dy = benchmark - benchmark.mean()
    cov = dx @ dy
    var_x = np.einsum("ij,ij->i", dx, dx)
    var_y = float(dy @ dy)
    with np.errstate(invalid="ignore", divide="ignore"):
        beta = cov / var_y
        corr = cov / np.sqrt(var_x * var_y)
    if returns.shape[1] < 3:
        return np.full(len(returns), np.nan), np.full(len(returns), np.nan)
    return beta, corr


def interior_gaps(values: FloatArray) -> FloatArray:
    """`(n,)`: rows missing a value after their first present one (a late start is no gap:
    its last columns are already its last present values)."""
    present = ~np.isnan(values)
    first = np.where(present.any(axis=1), present.argmax(axis=1), values.shape[1])
    return present.sum(axis=1) < values.shape[1] - first


def last_valid_window(values: FloatArray, width: int, gappy: FloatArray) -> FloatArray:
    """`(n, width)`: each row's last `width` present values (NaN-padded on the left when fewer).

    `gappy` marks rows with missing values; the others are simply their last `width` columns.
    """
    out = np.full((values.shape[0], width), np.nan)
    tail = values[:, -width:]
    out[:, width - tail.shape[1] :] = tail
    for i in np.flatnonzero(gappy):
        present = values[i][~np.isnan(values[i])][-width:]
        out[i] = np.nan
        if present.size:
            out[i, width - present.size :] = present
    return out


@contextmanager
def quiet() -> Iterator[None]:
    """Silence numpy's 'mean of empty slice' warnings for all-NaN rows (they become NaN)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        yield
