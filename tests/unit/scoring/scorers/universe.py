"""A deterministic, crafted universe for the scoring tests, and helpers to vary one input.

Six symbols (BTCUSDT first, the benchmark), 300 hourly candles from a seeded random walk,
books of 20 levels, 42 settled funding rates. Every symbol differs from the others on every
per-symbol value, so percentile ranks are strict and a change to one symbol moves its rank.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from app.records.keeping.family import WEIGHED
from app.scoring.scorers.components import FUNDAMENTAL
from app.scoring.scorers.composite import ScoringConfig, ScoringOutcome, SymbolScore
from app.scoring.scorers.gate import GateParams
from app.scoring.scorers.market_inputs import MarketInputs

SYMBOLS = ("BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT", "ADAUSDT", "DOGEUSDT")
LENGTH = 300
LEVELS = 20
FUNDING = 42
START_PRICES = (60_000.0, 3_000.0, 150.0, 0.5, 0.4, 0.1)
BETAS = (1.0, 0.3, 0.6, 0.9, 1.2, 1.5)
TARGET = 2  # SOLUSDT: mid-pack on the values the direction tests vary
EQUAL_WEIGHTS = {name: 0.25 for name in WEIGHED}  # the four the tests were written for
LOOSE_GATE = GateParams(
    min_history=100, max_gap_ratio=0.5, max_ticker_age_s=1e9, max_abs_bar_return=10.0
)
CANDLE_FIELDS = ("open", "high", "low", "close", "volume")
ROW_FIELDS = (
    "open",
    "high",
    "low",
    "close",
    "volume",
    "is_open",
    "turnover_24h",
    "open_interest_usdt",
    "previous_open_interest_usdt",
    "funding_rate",
    "funding_interval_h",
    "funding_history",
    "bid",
    "ask",
    "ticker_age_s",
    "bid_levels",
    "ask_levels",
)


def make_universe(seed: int = 7, length: int = LENGTH) -> MarketInputs:
    rng = np.random.default_rng(seed)
    n = len(SYMBOLS)
    market = rng.normal(0.0, 0.006, length - 1)
    close = np.empty((n, length))
    for i in range(n):
        idio = (
            np.zeros(length - 1) if i == 0 else rng.normal(0.0, 0.003 * (1 + 0.5 * i), length - 1)
        )
        returns = BETAS[i] * market + idio
        close[i] = START_PRICES[i] * np.exp(np.concatenate([[0.0], np.cumsum(returns)]))
    open_ = np.concatenate([close[:, :1], close[:, :-1]], axis=1)
    wiggle = np.abs(rng.normal(0.0, 0.002, (2, n, length)))
    high = np.maximum(open_, close) * (1 + wiggle[0])
    low = np.minimum(open_, close) * (1 - wiggle[1])
    scale = np.array([1_000.0 * (i + 1) for i in range(n)]) / np.array(START_PRICES)
    volume = scale[:, None] * np.exp(rng.normal(0.0, 0.3, (n, length)))
    turnover = np.array([5e6 * (i + 1) for i in range(n)])
    open_interest = turnover * np.array([0.5 + 0.1 * i for i in range(n)])
    previous_oi = open_interest / np.array([1.0 + 0.01 * (i + 1) for i in range(n)])
    funding_rate = np.array([1e-4 * (i - 2) for i in range(n)]) + 5e-5
    funding_history = np.vstack([rng.normal(1e-4, 5e-5 * (i + 1), FUNDING) for i in range(n)])
    last = close[:, -1]
    spread = np.array([2e-4 * (i + 1) for i in range(n)])  # 2, 4, 6, ... bps
    bid = last * (1 - spread / 2)
    ask = last * (1 + spread / 2)
    steps = np.arange(LEVELS)
    level_usdt = np.array([2_000.0 * (i + 1) for i in range(n)])[:, None] * (1 + 0.1 * steps)
    bid_px = bid[:, None] * (1 - 0.001 * steps)
    ask_px = ask[:, None] * (1 + 0.001 * steps)
    bid_levels = np.stack([bid_px, level_usdt / bid_px], axis=-1)
    ask_levels = np.stack([ask_px, level_usdt / ask_px], axis=-1)
    return MarketInputs(
        symbols=list(SYMBOLS),
        open=open_,
        high=high,
        low=low,
        close=close,
        volume=volume,
        is_open=np.ones(n, dtype=bool),
        turnover_24h=turnover,
        open_interest_usdt=open_interest,
        previous_open_interest_usdt=previous_oi,
        funding_rate=funding_rate,
        funding_interval_h=np.full(n, 8.0),
        funding_history=funding_history,
        bid=bid,
        ask=ask,
        ticker_age_s=np.full(n, 5.0),
        bid_levels=bid_levels,
        ask_levels=ask_levels,
    )


def with_value(inputs: MarketInputs, name: str, row: int, value: object) -> MarketInputs:
    """`inputs` with `name[row]` replaced (arrays are copied; the original is untouched)."""
    array = getattr(inputs, name).copy()
    array[row] = value
    return dataclasses.replace(inputs, **{name: array})


def with_missing_candles(inputs: MarketInputs, row: int, columns: object) -> MarketInputs:
    """`inputs` with the candles of `row` at `columns` missing (NaN in every candle field)."""
    for name in CANDLE_FIELDS:
        array = getattr(inputs, name).copy()
        array[row, columns] = np.nan
        inputs = dataclasses.replace(inputs, **{name: array})
    return inputs


# Windows the 300-hour universe covers (the default 30-day volume growth would be unmeasured).
PARAMETERS = {FUNDAMENTAL: {"volume_growth_windows_d": [3, 12]}}


def config(weights: dict[str, float] | None = None, gate: GateParams = LOOSE_GATE) -> ScoringConfig:
    return ScoringConfig(
        weights=weights or dict(EQUAL_WEIGHTS), parameters=dict(PARAMETERS), gate=gate
    )


def by_symbol(outcome: ScoringOutcome) -> dict[str, SymbolScore]:
    return {s.symbol: s for s in outcome.scores}


def subset(inputs: MarketInputs, rows: np.ndarray) -> MarketInputs:
    """The same inputs for the symbols at `rows` (a boolean mask or index array)."""
    index = np.flatnonzero(rows) if rows.dtype == bool else rows
    picked = {name: getattr(inputs, name)[index] for name in ROW_FIELDS}
    return MarketInputs(
        symbols=[inputs.symbols[i] for i in index],
        benchmark=inputs.benchmark,
        as_of_ms=inputs.as_of_ms,
        category=None if inputs.category is None else tuple(inputs.category[i] for i in index),
        **picked,
    )
