"""The technical component, in two versions chosen by its `version` parameter.

v1 (`version` absent or 1): the seed's metrics, unchanged, so that stored runs re-score to the
same numbers. v2: rebuilt on the hypotheses registered in docs/evidence.md ("Technical v2"); every
momentum is in units of sigma, the sample standard deviation (ddof 1) of the last `sigma_hours`
hourly log returns, so that volatility is never rewarded for itself.

A v2 metric is unmeasured (NaN), never 0, where the symbol's history does not cover its window,
where sigma is zero or missing, or where its window is flat. Series with missing candles are read
without the holes, as v1 and `indicators` read them: a window is the last present bars.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.scoring.scorers import indicators as ind
from app.scoring.scorers.market_inputs import MarketInputs
from app.scoring.scorers.metric import Metric
from app.scoring.scorers.normalise import HIGHER_IS_BETTER, LOWER_IS_BETTER
from app.scoring.scorers.parameters import Parameter, as_json, component, hours, number

VERSIONS = (1, 2)
MAX_MOMENTUM_WINDOWS = 8
PARAMETERS = component(
    Parameter(
        "version", "integer", 1, "1: the seed's metrics; 2: the rebuilt ones.", choices=VERSIONS
    ),
    hours("rsi_period", 14, "Hours of the RSI.", low=2),
    Parameter(
        "macd",
        "tuple",
        [12, 26, 9],
        "Fast EMA, slow EMA and signal hours of the MACD.",
        items=(hours("fast", 12, "", low=2), hours("slow", 26, "", low=2), hours("signal", 9, "")),
    ),
    Parameter(
        "bollinger",
        "tuple",
        [20, 2.0],
        "Hours of the Bollinger band and its width in standard deviations.",
        items=(hours("period", 20, "", low=2), number("width", 2.0, 0.1, 10.0, "")),
    ),
    hours("volume_window", 20, "v1: hours of the mean volume the last one is compared to."),
    hours("trend_ema", 50, "Hours of the trend's EMA.", low=2),
    hours("trend_lookback", 24, "Hours the trend's EMA change is measured over."),
    number("rsi_target", 55.0, 0.0, 100.0, "v1: the RSI the regime metric ranks closest to."),
    number("pct_b_target", 0.7, -5.0, 5.0, "v1: the %B the band metric ranks closest to."),
    Parameter(
        "momentum_hours",
        "list",
        [72, 168, 720],
        "v2: hours of each sigma-scaled momentum.",
        each=hours("hours", 72, ""),
        max_items=MAX_MOMENTUM_WINDOWS,
    ),
    hours("sigma_hours", 168, "v2: hourly returns of sigma, the unit of momentum.", low=2),
    hours("efficiency_hours", 72, "v2: hours of the signed efficiency."),
    Parameter(
        "surge_hours",
        "tuple",
        [24, 168],
        "v2: hours of the recent and the longer mean volume of the surge.",
        items=(hours("recent", 24, ""), hours("longer", 168, "")),
    ),
)
"""The technical parameters, both versions'; the functions below read their defaults here."""

# What each v2 metric is supposed to reward (docs/evidence.md's words; names with default windows).
HYPOTHESES = {
    "rsi": "over-extension: the most overbought contracts give back over the next day "
    "(short-term reversal)",
    "bollinger_pct_b": "over-extension, as RSI, on the band",
    "macd_histogram_z": "a trend that is accelerating, in units of noise, persists for a day",
    "volume_surge": "attention spikes mark moves that fade",
    "ema_trend_z": "trend persistence",
    "momentum_3d_z": "short horizon: persistence or reversal, both documented in crypto",
    "momentum_7d_z": "cross-sectional crypto momentum at one to four weeks "
    "(Liu, Tsyvinski & Wu 2022)",
    "momentum_30d_z": "the same at a month",
    "efficiency_signed_72h": "a move made in a straight line carries information; "
    "a noisy one does not",
}


def version(params: Mapping[str, Any]) -> int:
    """The version `params` ask for (absent: 1); ValueError for any other than 1 or 2."""
    value = PARAMETERS.get(params, "version")
    if type(value) is not int or value not in VERSIONS:  # bool and 2.0 are not versions
        raise ValueError(f"technical.version must be 1 or 2, not {as_json(value)}")
    return value


def _get(params: Mapping[str, Any], name: str) -> Any:
    return PARAMETERS.get(params, name)


def technical(inputs: MarketInputs, params: Mapping[str, Any]) -> list[Metric]:
    """The technical metrics of the version `params` choose."""
    return technical_v2(inputs, params) if version(params) == 2 else technical_v1(inputs, params)


def candles_needed(params: Mapping[str, Any]) -> int:
    """Hourly candles the longest technical window of the chosen version reads."""
    _, slow, signal = (int(v) for v in _get(params, "macd"))
    trend = int(_get(params, "trend_ema")) + int(_get(params, "trend_lookback")) + 1
    if version(params) == 1:
        bollinger = int(_get(params, "bollinger")[0])
        return max(slow + signal + 1, bollinger, trend, int(_get(params, "volume_window")))
    v2 = V2Windows.of(params)
    return max(slow + signal + 1, trend, v2.rsi_period + 1, v2.closes, v2.surge_hours[1])


def technical_v1(inputs: MarketInputs, params: Mapping[str, Any]) -> list[Metric]:
    """RSI regime, MACD histogram, Bollinger %B and bandwidth, volume vs mean, EMA trend."""
    rsi_period = int(_get(params, "rsi_period"))
    fast, slow, signal = (int(v) for v in _get(params, "macd"))
    bb_period, bb_width = _get(params, "bollinger")
    volume_window = int(_get(params, "volume_window"))
    trend_period = int(_get(params, "trend_ema"))
    trend_lookback = int(_get(params, "trend_lookback"))
    rsi_target = float(_get(params, "rsi_target"))
    pct_b_target = float(_get(params, "pct_b_target"))
    n = inputs.size
    warm_up = max(slow + signal, int(bb_period), trend_period + trend_lookback)
    rsi, macd, trend = (np.full(n, np.nan) for _ in range(3))
    for i in range(n):  # TA-Lib is 1-D: recursive indicators run per symbol
        close = inputs.close[i]
        if inputs.has_gaps[i]:
            close = np.ascontiguousarray(close[~np.isnan(close)])
        if close.size <= warm_up:
            continue
        rsi[i] = ind.rsi(close, rsi_period)[-1]
        macd[i] = ind.macd_histogram(close, fast, slow, signal)[-1] / close[-1] * 1e4
        ema = ind.ema(close, trend_period)
        trend[i] = (ema[-1] / ema[-1 - trend_lookback] - 1.0) * 100.0
    enough = ~np.isnan(rsi)
    # Last-value Bollinger and volume statistics need only each row's tail: vectorised.
    closes = ind.last_valid_window(inputs.close, int(bb_period), inputs.has_gaps)
    middle = closes.mean(axis=1)
    band = 2.0 * float(bb_width) * closes.std(axis=1)  # population sigma, as TA-Lib
    band = np.where(ind.is_flat(band, middle), 0.0, band)  # rounding noise is no band
    last = closes[:, -1]
    with np.errstate(invalid="ignore", divide="ignore"):
        pct_b = np.where(band > 0, (last - (middle - band / 2)) / band, 0.5)
        bandwidth = band / middle
        volumes = ind.last_valid_window(inputs.volume, volume_window, inputs.has_gaps)
        mean_volume = volumes.mean(axis=1)
        volume_ratio = np.where(mean_volume > 0, volumes[:, -1] / mean_volume, np.nan)
    pct_b, bandwidth, volume_ratio = (
        np.where(enough, a, np.nan) for a in (pct_b, bandwidth, volume_ratio)
    )
    return [
        Metric("rsi", rsi, HIGHER_IS_BETTER, ranked=-np.abs(rsi - rsi_target)),
        Metric("macd_histogram_bps", macd, HIGHER_IS_BETTER),
        Metric("bollinger_pct_b", pct_b, HIGHER_IS_BETTER, ranked=-np.abs(pct_b - pct_b_target)),
        Metric("bollinger_bandwidth", bandwidth, HIGHER_IS_BETTER),
        Metric("volume_vs_mean", volume_ratio, HIGHER_IS_BETTER),
        Metric("ema_trend_pct", trend, HIGHER_IS_BETTER),
    ]


@dataclass(frozen=True)
class V2Windows:
    """v2's windows in hours (bars) beyond the seed's RSI, MACD and EMA parameters."""

    rsi_period: int
    bollinger: tuple[int, float]
    momentum_hours: tuple[int, ...]
    sigma_hours: int
    efficiency_hours: int
    surge_hours: tuple[int, int]  # (recent, longer)

    @classmethod
    def of(cls, params: Mapping[str, Any]) -> V2Windows:
        period, width = _get(params, "bollinger")
        recent, longer = (int(h) for h in _get(params, "surge_hours"))
        return cls(
            rsi_period=int(_get(params, "rsi_period")),
            bollinger=(int(period), float(width)),
            momentum_hours=tuple(int(h) for h in _get(params, "momentum_hours")),
            sigma_hours=int(_get(params, "sigma_hours")),
            efficiency_hours=int(_get(params, "efficiency_hours")),
            surge_hours=(recent, longer),
        )

    @property
    def closes(self) -> int:
        """Closes the vectorised metrics read: the longest of their windows."""
        longest = max(*self.momentum_hours, self.sigma_hours, self.efficiency_hours)
        return max(longest + 1, self.bollinger[0])


def technical_v2(inputs: MarketInputs, params: Mapping[str, Any]) -> list[Metric]:
    """RSI and %B (lower is better), sigma-scaled MACD histogram, trend and momentum, volume
    surge (lower is better), signed efficiency of the move (`HYPOTHESES` says why each)."""
    w = V2Windows.of(params)
    closes = ind.last_valid_window(inputs.close, w.closes, ind.interior_gaps(inputs.close))
    with np.errstate(invalid="ignore", divide="ignore"):
        log_close = np.log(closes)
    sigma = _sigma(log_close, w.sigma_hours)
    with ind.quiet():  # all-NaN rows: NaN, then skipped for want of closes
        span = np.nanmax(inputs.close, axis=1) - np.nanmin(inputs.close, axis=1)
    moved = ~ind.is_flat(span, closes[:, -1])
    rsi, macd, trend = _recursive(inputs, params, moved, sigma)
    metrics = [
        Metric("rsi", rsi, LOWER_IS_BETTER),
        Metric("bollinger_pct_b", _pct_b(closes, *w.bollinger), LOWER_IS_BETTER),
        Metric("macd_histogram_z", macd, HIGHER_IS_BETTER),
        Metric("volume_surge", _volume_surge(inputs.volume, *w.surge_hours), LOWER_IS_BETTER),
        Metric("ema_trend_z", trend, HIGHER_IS_BETTER),
    ]
    with np.errstate(invalid="ignore", divide="ignore"):
        for h in w.momentum_hours:
            momentum = (log_close[:, -1] - log_close[:, -1 - h]) / (sigma * math.sqrt(h))
            metrics.append(Metric(_momentum_name(h), momentum, HIGHER_IS_BETTER))
    efficiency = _signed_efficiency(closes, w.efficiency_hours)
    metrics.append(Metric(f"efficiency_signed_{w.efficiency_hours}h", efficiency, HIGHER_IS_BETTER))
    return metrics


def _momentum_name(hours: int) -> str:
    return f"momentum_{hours // 24}d_z" if hours % 24 == 0 else f"momentum_{hours}h_z"


def _sigma(log_close: np.ndarray, hours: int) -> np.ndarray:
    """Sample sd of each row's last `hours` log returns; NaN when fewer closes or flat (a
    constant return, e.g. a geometric series, leaves only rounding noise)."""
    returns = np.diff(log_close[:, -hours - 1 :], axis=1)
    with np.errstate(invalid="ignore"):
        sigma = returns.std(axis=1, ddof=1)
        flat = ind.is_flat(sigma, np.abs(returns).mean(axis=1))
    return np.where(flat | ~(sigma > 0), np.nan, sigma)


def _recursive(
    inputs: MarketInputs, params: Mapping[str, Any], moved: np.ndarray, sigma: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """RSI, MACD histogram / (close · sigma) and EMA change / (sigma √lookback), per symbol
    (TA-Lib is 1-D), each NaN until TA-Lib has its first value. A series that never `moved`
    has no gain and no loss: its RSI is undefined (TA-Lib says 0)."""
    rsi_period = int(_get(params, "rsi_period"))
    fast, slow, signal = (int(v) for v in _get(params, "macd"))
    trend_period = int(_get(params, "trend_ema"))
    lookback = int(_get(params, "trend_lookback"))
    n = inputs.size
    rsi, macd, trend = (np.full(n, np.nan) for _ in range(3))
    for i in np.flatnonzero(moved).tolist():
        close = inputs.close[i]
        if inputs.has_gaps[i]:
            close = np.ascontiguousarray(close[~np.isnan(close)])
        if close.size <= rsi_period:
            continue
        rsi[i] = ind.rsi(close, rsi_period)[-1]
        if np.isnan(sigma[i]):
            continue
        macd[i] = ind.macd_histogram(close, fast, slow, signal)[-1] / (close[-1] * sigma[i])
        if close.size >= trend_period + lookback:
            ema = ind.ema(close, trend_period)
            trend[i] = (ema[-1] / ema[-1 - lookback] - 1.0) / (sigma[i] * math.sqrt(lookback))
    return rsi, macd, trend


def _pct_b(closes: np.ndarray, period: int, width: float) -> np.ndarray:
    """The last close's position in the `period`-bar band of ± `width` population sd (TA-Lib's
    Bollinger): 0 at the lower band, 1 at the upper; NaN without `period` closes or a band."""
    window = closes[:, -period:]
    middle = window.mean(axis=1)
    half = width * window.std(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        pct_b = (window[:, -1] - (middle - half)) / (2.0 * half)
    return np.where(ind.is_flat(half, middle) | np.isnan(half), np.nan, pct_b)


def _volume_surge(volume: np.ndarray, recent: int, longer: int) -> np.ndarray:
    """Mean volume of the last `recent` present bars over that of the last `longer`; NaN
    without `longer` bars or with no volume in them."""
    window = ind.last_valid_window(volume, longer, ind.interior_gaps(volume))
    mean_longer = window.mean(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        surge = window[:, -recent:].mean(axis=1) / mean_longer
    return np.where(mean_longer > 0, surge, np.nan)


def _signed_efficiency(closes: np.ndarray, hours: int) -> np.ndarray:
    """Net move over path length of the last `hours` bars, -1..1; NaN without `hours` + 1
    closes or on a flat window (no path)."""
    tail = closes[:, -hours - 1 :]
    path = np.abs(np.diff(tail, axis=1)).sum(axis=1)
    flat = ind.is_flat(path, tail[:, -1]) | np.isnan(path)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(flat, np.nan, (tail[:, -1] - tail[:, 0]) / path)
