"""The built-in components, each declared once in `BUILT_INS`: its name, the calculator of its
raw metrics (computed for the whole universe at once), its parameters and the candles it reads.
`COMPONENTS`, `CALCULATORS`, `DECLARATIONS` and `candles_needed` are derived from it; so are the
API's component names (`GET /scoring/rankings?component=`, `PUT /scoring/algorithms`), the
replay's and calibration's known components and the breakdowns. A component gets its
`scoring_algorithm` row the first time it is weighed (`PUT /scoring/algorithms`), as a plug-in's
does; until then it weighs nothing, live and in replay.

Every metric states its direction: the score it feeds rises with `ranked` (higher is better)
or falls with it (`Metric`). The technical component lives in `technical` (two versions).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.platform.core.patterns import worded
from app.scoring.scorers import indicators as ind
from app.scoring.scorers.market_inputs import MarketInputs
from app.scoring.scorers.metric import Metric
from app.scoring.scorers.normalise import HIGHER_IS_BETTER, LOWER_IS_BETTER
from app.scoring.scorers.parameters import Declaration, Parameter, component, hours, number
from app.scoring.scorers.technical import PARAMETERS as TECHNICAL_PARAMETERS
from app.scoring.scorers.technical import candles_needed as technical_candles
from app.scoring.scorers.technical import technical
from app.stats.performance import row_max_drawdowns

TECHNICAL = "technical"
FUNDAMENTAL = "fundamental"
MARKET_STRUCTURE = "market_structure"
RISK = "risk"

MAX_GROWTH_DAYS = 90
FUNDAMENTAL_PARAMETERS = component(
    Parameter(
        "volume_growth_windows_d",
        "tuple",
        [7, 30],
        "Days of the recent and the longer mean quote volume of `volume_growth`.",
        items=(
            Parameter("recent", "integer", 7, "", 1, MAX_GROWTH_DAYS),
            Parameter("longer", "integer", 30, "", 1, MAX_GROWTH_DAYS),
        ),
    ),
)
MARKET_STRUCTURE_PARAMETERS = component(
    number("depth_band_pct", 1.0, 0.01, 50.0, "Band around the mid, in %, of `depth_usdt`."),
    number("reference_order_usdt", 10_000, 1.0, 1e9, "Buy walked through the asks (impact)."),
    hours("efficiency_window", 20, "Hours of the efficiency ratio."),
)
RISK_PARAMETERS = component(
    hours("volatility_window", 168, "Hourly returns of the realised volatility.", low=2),
    Parameter(
        "benchmark",
        "string",
        "BTCUSDT",
        "Canonical symbol beta and correlation are measured against.",
        pattern=worded(r"[A-Z0-9]{2,30}", "must be a canonical symbol, as BTCUSDT"),
    ),
)


def volume_growth_windows(params: Mapping[str, Any]) -> tuple[int, int]:
    """(recent, longer) days of `volume_growth`."""
    windows = FUNDAMENTAL_PARAMETERS.get(params, "volume_growth_windows_d")
    short_d, long_d = (int(v) for v in windows)
    return short_d, long_d


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
        Metric(
            "open_interest_change",
            np.where(np.isfinite(oi_change), oi_change, np.nan),
            HIGHER_IS_BETTER,
        ),
        Metric("funding_carry_bps_8h", carry_bps, HIGHER_IS_BETTER),
        Metric("funding_volatility_bps_8h", stability, LOWER_IS_BETTER),
    ]


def market_structure(inputs: MarketInputs, params: Mapping[str, Any]) -> list[Metric]:
    """Relative spread, depth within the band, impact of a reference order, efficiency ratio."""
    band = float(MARKET_STRUCTURE_PARAMETERS.get(params, "depth_band_pct")) / 100.0
    reference = float(MARKET_STRUCTURE_PARAMETERS.get(params, "reference_order_usdt"))
    window = int(MARKET_STRUCTURE_PARAMETERS.get(params, "efficiency_window"))
    mid = (inputs.bid + inputs.ask) / 2.0
    with np.errstate(invalid="ignore", divide="ignore"):
        spread_bps = (inputs.ask - inputs.bid) / mid * 1e4
    ask_px, ask_qty = inputs.ask_levels[..., 0], inputs.ask_levels[..., 1]
    has_book = ~np.isnan(ask_px[:, 0]) & ~np.isnan(inputs.bid_levels[:, 0, 0])
    impact = impact_bps(ask_px, ask_qty, mid, reference)
    efficiency = ind.efficiency_ratio(inputs.close, window, inputs.has_gaps)
    depth = book_depth(inputs.bid_levels, inputs.ask_levels, band)
    return [
        Metric("spread_bps", spread_bps, LOWER_IS_BETTER),
        Metric("depth_usdt", depth, HIGHER_IS_BETTER),
        Metric("impact_bps", np.where(has_book, impact, np.nan), LOWER_IS_BETTER),
        Metric("efficiency_ratio", efficiency, HIGHER_IS_BETTER),
    ]


def book_depth(bid_levels: np.ndarray, ask_levels: np.ndarray, band: float) -> np.ndarray:
    """USDT resting within `band` (a fraction) of the mid on both sides of each row's book
    ((n, levels, 2) of price, base size, best first); NaN without a two-sided book."""
    bid_px, bid_qty = bid_levels[..., 0], bid_levels[..., 1]
    ask_px, ask_qty = ask_levels[..., 0], ask_levels[..., 1]
    mid = (bid_px[:, 0] + ask_px[:, 0]) / 2.0
    in_band_bid = bid_px >= (mid * (1 - band))[:, None]
    in_band_ask = ask_px <= (mid * (1 + band))[:, None]
    depth = np.nansum(np.where(in_band_bid, bid_px * bid_qty, 0.0), axis=1) + np.nansum(
        np.where(in_band_ask, ask_px * ask_qty, 0.0), axis=1
    )
    has_book = ~np.isnan(ask_px[:, 0]) & ~np.isnan(bid_px[:, 0])
    return np.where(has_book, depth, np.nan)


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
    window = int(RISK_PARAMETERS.get(params, "volatility_window"))
    returns = inputs.returns
    volatility = ind.realised_volatility(returns, window)
    drawdown = row_max_drawdowns(inputs.close)
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


def fundamental_candles(params: Mapping[str, Any]) -> int:
    """The longer volume-growth window, in hours."""
    return volume_growth_windows(params)[1] * 24


def risk_candles(params: Mapping[str, Any]) -> int:
    """The volatility window's returns, and the close before them."""
    return int(RISK_PARAMETERS.get(params, "volatility_window")) + 1


Calculator = Callable[[MarketInputs, Mapping[str, Any]], list[Metric]]


@dataclass(frozen=True)
class BuiltIn:
    """A built-in component: its name, the calculator of its metrics, the parameters it takes,
    and the hourly candles the longest window it reads needs under given parameters (None: not
    counted in `candles_needed`)."""

    name: str
    calculate: Calculator
    parameters: Declaration
    candles: Callable[[Mapping[str, Any]], int] | None = None


BUILT_INS = (
    BuiltIn(TECHNICAL, technical, TECHNICAL_PARAMETERS, technical_candles),
    BuiltIn(FUNDAMENTAL, fundamental, FUNDAMENTAL_PARAMETERS, fundamental_candles),
    BuiltIn(MARKET_STRUCTURE, market_structure, MARKET_STRUCTURE_PARAMETERS),  # as before: its
    # efficiency window (20 h by default) has never been counted in `candles_needed`
    BuiltIn(RISK, risk, RISK_PARAMETERS, risk_candles),
)
"""The built-in components, in the order they are scored and shown: a new one is one more entry
(after the others: a stored breakdown and a registered configuration keep their order)."""

COMPONENTS = tuple(c.name for c in BUILT_INS)
CALCULATORS: dict[str, Calculator] = {c.name: c.calculate for c in BUILT_INS}
DECLARATIONS: dict[str, Declaration] = {c.name: c.parameters for c in BUILT_INS}
"""Each built-in component's parameters
(`app.scoring.scorers.component_registry.declaration` adds the plug-ins' components)."""


def candles_needed(parameters: Mapping[str, Mapping[str, Any]]) -> int:
    """Hourly candles the longest window of the metrics reads (`parameters` by component):
    a scorer loading fewer would measure some metrics over less than they say."""
    return max(c.candles(parameters.get(c.name, {})) for c in BUILT_INS if c.candles)
