"""What the scorer reads: candle matrices on a common hourly grid plus per-symbol vectors.

Shapes: `n` symbols (rows, in `symbols` order), `T` candles (columns, oldest first, the same
open times for every row), `L` book levels, `F` funding settlements. Missing values are NaN:
a candle KuCoin did not return, a book level that does not exist, a metric never measured.
Prices in the quote currency (USDT); volumes and book sizes in base coins (lots x multiplier).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np


@dataclass(frozen=True)
class MarketInputs:
    symbols: list[str]
    open: np.ndarray  # (n, T)
    high: np.ndarray  # (n, T)
    low: np.ndarray  # (n, T)
    close: np.ndarray  # (n, T)
    volume: np.ndarray  # (n, T) base coins
    is_open: np.ndarray  # (n,) bool: KuCoin status Open and eligible
    turnover_24h: np.ndarray  # (n,) USDT
    open_interest_usdt: np.ndarray  # (n,)
    previous_open_interest_usdt: np.ndarray  # (n,) from the previous run; NaN if none
    funding_rate: np.ndarray  # (n,) current estimate per interval
    funding_interval_h: np.ndarray  # (n,)
    funding_history: np.ndarray  # (n, F) settled rates, oldest first
    bid: np.ndarray  # (n,)
    ask: np.ndarray  # (n,)
    ticker_age_s: np.ndarray  # (n,) seconds since the ticker/book was taken
    bid_levels: np.ndarray  # (n, L, 2) price, base size; best first
    ask_levels: np.ndarray  # (n, L, 2)
    benchmark: str = "BTCUSDT"
    as_of_ms: int | None = None  # when these were known (the last candle's close); None: unsaid
    category: tuple[str | None, ...] | None = None
    """Per symbol, an admin's category override (`app.market.contracts.categories`), or None: the
    exchange, the data and the table decide. None throughout when not given."""
    exchange_class: tuple[str | None, ...] | None = None
    """Per symbol, what the exchange says its underlying is (KuCoin's `assetClass`), or None."""
    data_category: tuple[str | None, ...] | None = None
    """Per symbol, the session rule's verdict for the day (`app.market.contracts.trading_sessions`:
    crypto, commodity, equity or unknown), computed by the caller over its own longer window;
    None where the rule did not run (the table decides, as it did before the rule)."""

    @property
    def size(self) -> int:
        return len(self.symbols)

    @cached_property
    def returns(self) -> np.ndarray:
        """Hourly log returns `(n, T-1)`, NaN where either candle is missing (computed once)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.diff(np.log(self.close), axis=1)

    @cached_property
    def has_gaps(self) -> np.ndarray:
        """`(n,)`: rows with at least one missing candle (they need the slow, per-row path)."""
        return np.isnan(self.close).any(axis=1)

    @cached_property
    def present_count(self) -> np.ndarray:
        """`(n,)`: how many candles each row has (closes present)."""
        return np.sum(~np.isnan(self.close), axis=1)

    @cached_property
    def first_present(self) -> np.ndarray:
        """`(n,)`: the column of each row's first candle (T where it has none)."""
        present = ~np.isnan(self.close)
        return np.where(present.any(axis=1), np.argmax(present, axis=1), self.close.shape[1])
