"""The raw metrics of each component, computed for the whole universe at once.

Every metric states its direction: the score it feeds rises with `ranked` (higher is better)
or falls with it. `raw` is what is shown in breakdowns; `ranked` is what is compared across the
universe (the same array unless a regime transform applies, e.g. RSI's distance from its
preferred level).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.scoring import indicators as ind
from app.scoring.inputs import MarketInputs
from app.scoring.normalise import HIGHER_IS_BETTER, LOWER_IS_BETTER

TECHNICAL = "technical"
FUNDAMENTAL = "fundamental"
MARKET_STRUCTURE = "market_structure"
RISK = "risk"
COMPONENTS = (TECHNICAL, FUNDAMENTAL, MARKET_STRUCTURE, RISK)


@dataclass(frozen=True)
class Metric:
    name: str
    raw: np.ndarray
    direction: int
    weight: float = 1.0
    ranked: np.ndarray | None = field(default=None)

    @property
    def comparable(self) -> np.ndarray:
        return self.raw if self.ranked is None else self.ranked


def technical(inputs: MarketInputs, params: Mapping[str, Any]) -> list[Metric]:
    """RSI regime, MACD histogram, Bollinger %B and bandwidth, volume vs mean, EMA trend."""
    rsi_period = int(params.get("rsi_period", 14))
    fast, slow, signal = (int(v) for v in params.get("macd", (12, 26, 9)))
    bb_period, bb_width = params.get("bollinger", (20, 2.0))
    volume_window = int(params.get("volume_window", 20))
    trend_period = int(params.get("trend_ema", 50))
    trend_lookback = int(params.get("trend_lookback", 24))
    rsi_target = float(params.get("rsi_target", 55.0))
    pct_b_target = float(params.get("pct_b_target", 0.7))
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


def volume_growth_windows(params: Mapping[str, Any]) -> tuple[int, int]:
    """(recent, longer) days of `volume_growth`."""
    short_d, long_d = (int(v) for v in params.get("volume_growth_windows_d", (7, 30)))
    return short_d, long_d


def candles_needed(parameters: Mapping[str, Mapping[str, Any]]) -> int:
    """Hourly candles the longest window of the metrics reads (`parameters` by component):
    a scorer loading fewer would measure some metrics over less than they say."""
    technical = parameters.get(TECHNICAL, {})
    _, slow, signal = (int(v) for v in technical.get("macd", (12, 26, 9)))
    windows = [
        slow + signal + 1,
        int(technical.get("bollinger", (20, 2.0))[0]),
        int(technical.get("trend_ema", 50)) + int(technical.get("trend_lookback", 24)) + 1,
        int(technical.get("volume_window", 20)),
        volume_growth_windows(parameters.get(FUNDAMENTAL, {}))[1] * 24,
        int(parameters.get(RISK, {}).get("volatility_window", 168)) + 1,
    ]
    return max(windows)


def fundamental(inputs: MarketInputs, params: Mapping[str, Any]) -> list[Metric]:
    """Turnover, volume growth, open interest level and change, funding level and stability."""
    short_d, long_d = volume_growth_windows(params)
    quote_volume = inputs.volume * inputs.close
    with ind.quiet():
        recent = np.nanmean(quote_volume[:, -short_d * 24 :], axis=1)
        longer = np.nanmean(quote_volume[:, -long_d * 24 :], axis=1)
    # The long window must lie within what was loaded and the symbol's history: else the
    # growth would be measured over a shorter window than its name says. Unmeasured then.
    covered = ind.history_covers(quote_volume, long_d * 24)
    with np.errstate(invalid="ignore", divide="ignore"):
        growth = np.where(covered & (longer > 0), recent / longer, np.nan)
        turnover = np.where(inputs.turnover_24h > 0, np.log10(inputs.turnover_24h), np.nan)
        oi = np.where(inputs.open_interest_usdt > 0, np.log10(inputs.open_interest_usdt), np.nan)
        oi_change = inputs.open_interest_usdt / inputs.previous_open_interest_usdt - 1.0
        per_8h = 8.0 / inputs.funding_interval_h
    # Funding is a cost of carry for the long side we hold: paying it lowers the score.
    carry_bps = -inputs.funding_rate * per_8h * 1e4
    settled = np.sum(~np.isnan(inputs.funding_history), axis=1)
    with ind.quiet():
        funding_8h = inputs.funding_history * per_8h[:, None]
        spread = np.nanstd(funding_8h, axis=1)
        spread = np.where(ind.is_flat(spread, np.nanmean(np.abs(funding_8h), axis=1)), 0.0, spread)
    stability = np.where(settled >= 3, spread * 1e4, np.nan)
    return [
        Metric("turnover_24h_log10", turnover, HIGHER_IS_BETTER),
        Metric("volume_growth", growth, HIGHER_IS_BETTER),
        Metric("open_interest_log10", oi, HIGHER_IS_BETTER),
        Metric("open_interest_change", np.where(np.isfinite(oi_change), oi_change, np.nan),
               HIGHER_IS_BETTER),
        Metric("funding_carry_bps_8h", carry_bps, HIGHER_IS_BETTER),
        Metric("funding_volatility_bps_8h", stability, LOWER_IS_BETTER),
    ]  # fmt: skip


def market_structure(inputs: MarketInputs, params: Mapping[str, Any]) -> list[Metric]:
    """Relative spread, depth within the band, impact of a reference order, efficiency ratio."""
    band = float(params.get("depth_band_pct", 1.0)) / 100.0
    reference = float(params.get("reference_order_usdt", 10_000))
    window = int(params.get("efficiency_window", 20))
    mid = (inputs.bid + inputs.ask) / 2.0
    with np.errstate(invalid="ignore", divide="ignore"):
        spread_bps = (inputs.ask - inputs.bid) / mid * 1e4
    bid_px, bid_qty = inputs.bid_levels[..., 0], inputs.bid_levels[..., 1]
    ask_px, ask_qty = inputs.ask_levels[..., 0], inputs.ask_levels[..., 1]
    in_band_bid = bid_px >= (mid * (1 - band))[:, None]
    in_band_ask = ask_px <= (mid * (1 + band))[:, None]
    depth = np.nansum(np.where(in_band_bid, bid_px * bid_qty, 0.0), axis=1) + np.nansum(
        np.where(in_band_ask, ask_px * ask_qty, 0.0), axis=1
    )
    has_book = ~np.isnan(ask_px[:, 0]) & ~np.isnan(bid_px[:, 0])
    impact = impact_bps(ask_px, ask_qty, mid, reference)
    efficiency = ind.efficiency_ratio(inputs.close, window, inputs.has_gaps)
    return [
        Metric("spread_bps", spread_bps, LOWER_IS_BETTER),
        Metric("depth_usdt", np.where(has_book, depth, np.nan), HIGHER_IS_BETTER),
        Metric("impact_bps", np.where(has_book, impact, np.nan), LOWER_IS_BETTER),
        Metric("efficiency_ratio", efficiency, HIGHER_IS_BETTER),
    ]


def impact_bps(
    prices: np.ndarray, sizes: np.ndarray, mid: np.ndarray, notional: float
) -> np.ndarray:
    """Average fill price of a buy of `notional` USDT walked through each row's asks, in bps
    over mid. `inf` when the book shown cannot fill it: worse than any fillable order, never a
    guess. Rows are `(n, L)` levels, best first; missing levels are NaN.
    """
    level_notional = np.nan_to_num(prices * sizes, nan=0.0)
    filled_before = np.cumsum(level_notional, axis=1) - level_notional
    take = np.clip(notional - filled_before, 0.0, level_notional)
    with np.errstate(invalid="ignore", divide="ignore"):
        coins = np.nansum(np.where(take > 0, take / prices, 0.0), axis=1)
        impact = (notional / coins / mid - 1.0) * 1e4
    fillable = level_notional.sum(axis=1) >= notional
    return np.where(fillable, impact, np.inf)


def risk(inputs: MarketInputs, params: Mapping[str, Any]) -> list[Metric]:
    """Higher = safer: volatility, drawdown, beta and correlation to the benchmark, liquidity."""
    window = int(params.get("volatility_window", 168))
    returns = inputs.returns
    volatility = ind.realised_volatility(returns, window)
    drawdown = ind.max_drawdown(inputs.close)
    if inputs.benchmark in inputs.symbols:
        reference = returns[inputs.symbols.index(inputs.benchmark)]
        beta, corr = ind.beta_and_correlation(returns, reference)
    else:
        beta = corr = np.full(inputs.size, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        liquidity = np.where(
            inputs.open_interest_usdt > 0, inputs.turnover_24h / inputs.open_interest_usdt, np.nan
        )
    return [
        Metric("volatility_annualised", volatility, LOWER_IS_BETTER),
        Metric("max_drawdown", drawdown, LOWER_IS_BETTER),
        Metric("beta_to_benchmark", beta, LOWER_IS_BETTER, ranked=np.abs(beta)),
        Metric("correlation_to_benchmark", corr, LOWER_IS_BETTER),
        Metric("turnover_to_open_interest", liquidity, HIGHER_IS_BETTER),
    ]


CALCULATORS = {
    TECHNICAL: technical,
    FUNDAMENTAL: fundamental,
    MARKET_STRUCTURE: market_structure,
    RISK: risk,
}
