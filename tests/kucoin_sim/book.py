"""Order books and recent trades around the current price, sized from 24 h turnover."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

SNAPSHOT_LEVELS = 500
AVG_TRADE_QUOTE = 2_000.0  # USDT per trade, sets the trade rate
MAX_TRADES = 100


@dataclass(frozen=True)
class Liquidity:
    """How tight and deep one contract's book is."""

    spread_ticks: int
    gap_max: int
    level_quote: float  # quote value resting on an average level
    trades_per_s: float


def liquidity(turnover_quote: float, price: float, tick: float) -> Liquidity:
    """Liquid contracts: 1-tick spread, dense levels, large sizes; thin ones the opposite."""
    turnover = max(turnover_quote, 1_000.0)
    rel_spread = min(0.02, 1e-6 * (1e9 / turnover) ** 0.67)
    spread = max(1, round(rel_spread * price / tick))
    gap_max = max(1, min(spread, 50))
    level_quote = 0.02 * turnover / 100
    rate = min(50.0, max(100 / 86_400, turnover / AVG_TRADE_QUOTE / 86_400))
    return Liquidity(spread, gap_max, level_quote, rate)


def best_prices(price: float, tick: float, liq: Liquidity) -> tuple[int, int]:
    """Best bid and ask in ticks around `price` (the bid may equal the last price)."""
    last = round(price / tick)
    below = liq.spread_ticks // 2
    bid = max(1, last - below)
    return bid, bid + liq.spread_ticks


def _sizes(rng: np.random.Generator, n: int, liq: Liquidity, lot_value: float) -> np.ndarray:
    """Lots per level, never below one lot."""
    quote = liq.level_quote * rng.lognormal(0.0, 0.6, n)
    return np.maximum(1, np.round(quote / max(lot_value, 1e-12))).astype(np.int64)


def book_side(
    best: int,
    direction: int,
    rng: np.random.Generator,
    liq: Liquidity,
    lot_value: float,
    depth: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Price levels (in ticks) and sizes (lots) walking away from `best`; always SNAPSHOT draws."""
    gaps = rng.integers(1, liq.gap_max + 1, SNAPSHOT_LEVELS)
    gaps[0] = 0
    ticks = best + direction * np.cumsum(gaps)
    sizes = _sizes(rng, SNAPSHOT_LEVELS, liq, lot_value)
    keep = ticks > 0
    return ticks[keep][:depth], sizes[keep][:depth]


def levels_json(
    ticks: np.ndarray, sizes: np.ndarray, tick: float, dec: int
) -> list[list[float | int]]:
    """`[[price, size], ...]` as JSON numbers."""
    return [[round(float(t) * tick, dec), int(s)] for t, s in zip(ticks, sizes, strict=True)]


@dataclass(frozen=True)
class TradeTape:
    """Recent trades, newest first."""

    ts_ns: np.ndarray
    price: np.ndarray
    size: np.ndarray
    buy: np.ndarray
    maker_ids: np.ndarray
    taker_ids: np.ndarray


def recent_trades(
    now_ms: int,
    seed_key: list[int],
    liq: Liquidity,
    lot_value: float,
    price_fn: Callable[[np.ndarray], np.ndarray],
    half_spread: float,
) -> TradeTape:
    """Up to 100 trades on a fixed time grid (history does not reshuffle between calls)."""
    rate = liq.trades_per_s
    bucket_s = 2 ** max(0, math.ceil(math.log2(max(1.0, 50 / rate))))
    bucket = int(now_ms // 1000 // bucket_s)
    times: list[np.ndarray] = []
    count = 0
    for b in range(bucket, bucket - 64, -1):
        rng = np.random.default_rng([*seed_key, bucket_s, b])
        k = int(rng.poisson(rate * bucket_s))
        t = np.sort(b * bucket_s * 1000 + rng.uniform(0, bucket_s * 1000, k))[::-1]
        t = t[t <= now_ms]
        times.append(t)
        count += len(t)
        if count >= MAX_TRADES:
            break
    ts_ms = np.concatenate(times)[:MAX_TRADES] if times else np.zeros(0)
    rng = np.random.default_rng([*seed_key, int(ts_ms[0]) if len(ts_ms) else 0])
    n = len(ts_ms)
    buy = rng.random(n) < 0.5
    mid = price_fn(ts_ms.astype(np.int64)) if n else np.zeros(0)
    price = mid + np.where(buy, half_spread, -half_spread)
    size = np.maximum(1, np.round(AVG_TRADE_QUOTE * rng.lognormal(-0.5, 1.0, n) / lot_value))
    ids = rng.integers(10**17, 10**18 - 1, (2, n))
    ts_ns = np.floor(ts_ms * 1000).astype(np.int64) * 1000
    return TradeTape(ts_ns, price, size.astype(np.int64), buy, ids[0], ids[1])
