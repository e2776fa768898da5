"""The book between decisions: long only, fully funded (1x notional), marked hourly.

At a decision the book trades to its target weights (or holds and drifts): turnover is
sum(|w_target - w_drifted|), so buying the first book is turnover 1.0, and the taker fee plus
slippage is paid on that traded notional. Between decisions holdings earn close-to-close
returns, marked at the last known close (carried over a symbol's missing candles). Funding is
paid (positive rate) or received (negative) by the longs on their notional at every settlement
inside the period; unknown funding is not charged. Nothing is liquidated at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from app.replay.history import HOUR_MS, MarketHistory


@dataclass
class Book:
    """One strategy's account."""

    units: np.ndarray  # (n,) holdings in base units
    cash: float = 1.0  # starts as 1.0 of quote currency
    fees: float = 0.0
    funding: float = 0.0  # paid (positive) or received (negative)
    turnovers: list[float] = field(default_factory=list)
    equity: list[float] = field(default_factory=list)  # hourly, from the first decision

    @classmethod
    def empty(cls, n: int) -> Book:
        return cls(units=np.zeros(n))


class Ledger:
    """Hourly marks and funding of one history, shared by every strategy's book."""

    def __init__(self, history: MarketHistory) -> None:
        self.history = history
        self.marks = history.marks
        self.grid0 = int(history.grid_ms[0])
        self.rates = np.zeros(history.close.shape)  # rate at the column closing at settlement
        for i, record in enumerate(history.funding):
            if record is None:
                continue
            columns = (record.at_ms - HOUR_MS - self.grid0) // HOUR_MS
            inside = (columns >= 0) & (columns < history.grid_ms.size)
            np.add.at(self.rates[i], columns[inside], record.rate[inside])

    def column(self, t_ms: int) -> int:
        """The column of the candle closing at `t_ms`."""
        return (t_ms - HOUR_MS - self.grid0) // HOUR_MS

    def value(self, book: Book, column: int) -> float:
        prices = self.marks[:, column]
        held = book.units != 0
        return float(book.units[held] @ prices[held]) + book.cash

    def trade(self, book: Book, column: int, weights: np.ndarray | None, cost_rate: float) -> None:
        """Move the book to `weights` (fractions summing to 1) at `column`'s closes, or hold."""
        if weights is None:
            book.turnovers.append(0.0)
            return
        prices = self.marks[:, column]
        value = self.value(book, column)
        held = book.units != 0
        drifted = np.zeros_like(weights)
        drifted[held] = book.units[held] * prices[held] / value
        turnover = float(np.abs(weights - drifted).sum())
        fee = turnover * cost_rate * value
        value -= fee
        units = np.zeros_like(weights)
        buy = weights > 0
        if np.isnan(prices[buy]).any():
            raise ValueError("a target weight on a symbol without a price")
        units[buy] = weights[buy] * value / prices[buy]
        # Fully funded: what the weights leave unallocated (all of it, when nothing qualifies
        # at t) stays in cash.
        book.units, book.cash = units, value * (1.0 - float(weights.sum()))
        book.fees += fee
        book.turnovers.append(turnover)

    def hold(self, book: Book, start: int, end: int) -> None:
        """Mark the book hourly over columns (start, end], paying funding at settlements."""
        if end <= start:
            return
        columns = slice(start + 1, end + 1)
        held = np.flatnonzero(book.units)
        if held.size == 0:
            book.equity.extend([book.cash] * (end - start))
            return
        units = book.units[held]
        prices = self.marks[held, columns]
        payments = (self.rates[held, columns] * prices).T @ units  # per hour
        paid = np.cumsum(payments)
        marked = prices.T @ units + book.cash - paid
        book.equity.extend(marked.tolist())
        book.funding += float(paid[-1])
        book.cash -= float(paid[-1])
