"""The book between decisions: long only, fully funded (1x notional), marked hourly.

At a decision the book trades to its target weights (or holds and drifts): turnover is
sum(|w_target - w_drifted|), so buying the first book is turnover 1.0, and the taker fee plus
slippage is paid on that traded notional. Between decisions holdings earn close-to-close
returns, marked at the last known close (carried over a symbol's missing candles). Funding is
paid (positive rate) or received (negative) by the longs on their notional at every settlement
inside the period; unknown funding is not charged. Nothing is liquidated at the end.

Every strategy's book is one row of `Books`, and the ledger moves all rows at once; each row's
figures are those of a book kept on its own, to the bit (see `app.stats.rows`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from app.books.simulation.market_history import MarketHistory
from app.platform.core.units import HOUR_MS
from app.stats.distinct import distinct
from app.stats.rows import dots, matrix_vector


@dataclass
class Books:
    """Many strategies' accounts, one row each."""

    units: np.ndarray  # (b, n); replaced, never changed in place (`holdings` relies on it)
    cash: np.ndarray  # (b,)
    fees: np.ndarray
    funding: np.ndarray
    turnovers: list[np.ndarray] = field(default_factory=list)  # per decision, (b,)
    equity: list[np.ndarray] = field(default_factory=list)  # blocks of hours, (b, hours)
    _holdings: tuple[np.ndarray, list[Holdings]] | None = field(default=None, repr=False)

    @classmethod
    def empty(cls, count: int, n: int) -> Books:
        return cls(np.zeros((count, n)), np.ones(count), np.zeros(count), np.zeros(count))

    def holdings(self) -> list[Holdings]:
        """The rows grouped by how many symbols they hold (computed once per `units`)."""
        if self._holdings is None or self._holdings[0] is not self.units:
            held = self.units != 0
            counts = held.sum(axis=1)
            groups = []
            for k in distinct(counts).tolist():
                rows = np.flatnonzero(counts == k)
                columns = np.nonzero(held[rows])[1].reshape(rows.size, k)
                groups.append(Holdings(rows, columns, self.units[rows[:, None], columns]))
            self._holdings = (self.units, groups)
        return self._holdings[1]

    def equity_curves(self) -> np.ndarray:
        """`(b, hours)` every book's hourly equity."""
        return np.concatenate(self.equity, axis=1) if self.equity else np.zeros((self.size, 0))

    def turnover_table(self) -> np.ndarray:
        """`(b, decisions)` every book's turnover at each decision."""
        return np.stack(self.turnovers, axis=1) if self.turnovers else np.zeros((self.size, 0))

    @property
    def size(self) -> int:
        return self.cash.size


@dataclass(frozen=True)
class Holdings:
    """Books holding the same number k of symbols."""

    rows: np.ndarray  # (r,) their rows
    columns: np.ndarray  # (r, k) the symbols each holds, ascending
    units: np.ndarray  # (r, k) how many of each


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

    def values(self, books: Books, column: int) -> np.ndarray:
        """`(b,)` every book marked at `column`'s closes."""
        prices = self.marks[:, column]
        held = np.zeros(books.size)
        for group in books.holdings():
            if group.columns.shape[1]:
                held[group.rows] = dots(group.units, prices[group.columns])
        return held + books.cash

    def rebalance(
        self, books: Books, column: int, weights: np.ndarray, trading: np.ndarray, cost: float
    ) -> None:
        """Move the `trading` rows to their `weights` (fractions summing to 1) at `column`'s
        closes; the other rows hold (turnover 0). Each row's numbers are its own: computing
        the rows that hold changes none of the others."""
        weights = np.where(trading[:, None], weights, 0.0)
        prices = self.marks[:, column]
        value = self.values(books, column)
        held = books.units != 0
        with np.errstate(invalid="ignore"):  # 0 units x NaN price where nothing is held
            drifted = np.divide(
                books.units * prices, value[:, None], out=np.zeros_like(weights), where=held
            )
        turnover = np.abs(weights - drifted).sum(axis=1)
        fee = turnover * cost * value
        value = value - fee
        buy = weights > 0
        unpriced = np.isnan(prices)
        if unpriced.any() and buy[:, unpriced].any():
            raise ValueError("a target weight on a symbol without a price")
        units = np.divide(weights * value[:, None], prices, out=np.zeros_like(weights), where=buy)
        # Fully funded: what the weights leave unallocated (all of it, when nothing qualifies
        # at t) stays in cash.
        cash = value * (1.0 - weights.sum(axis=1))
        books.units = np.where(trading[:, None], units, books.units)
        books.cash = np.where(trading, cash, books.cash)
        books.fees = np.where(trading, books.fees + fee, books.fees)
        books.turnovers.append(np.where(trading, turnover, 0.0))

    def carry(self, books: Books, start: int, end: int) -> None:
        """Mark every book hourly over columns (start, end], paying funding at settlements."""
        if end <= start:
            return
        hours = np.arange(start + 1, end + 1)
        marked = np.repeat(books.cash[:, None], hours.size, axis=1)
        for group in books.holdings():
            rows, columns, units = group.rows, group.columns, group.units
            if not columns.shape[1]:
                continue
            prices = self.marks[columns[:, :, None], hours]  # (rows, k, hours)
            marked[rows] = matrix_vector(prices, units) + books.cash[rows, None]
            rates = self.rates[columns[:, :, None], hours]
            if not rates.any():  # no settlement: the payments would all be exactly 0.0
                continue
            paid = np.cumsum(matrix_vector(rates * prices, units), axis=1)  # per hour
            marked[rows] -= paid
            books.funding[rows] += paid[:, -1]
            books.cash[rows] -= paid[:, -1]
        books.equity.append(marked)
