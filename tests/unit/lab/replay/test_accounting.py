"""Fees and funding to the cent on a two-symbol book worked out by hand (10 000 USDT)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pytest

from app.books.simulation.funding_index import Funding
from app.books.simulation.market_history import MarketHistory
from app.lab.replay.simulate import Books, Ledger
from app.platform.core.units import HOUR_MS

T0 = 1_750_000_000_000 // HOUR_MS * HOUR_MS
CAPITAL = 10_000.0  # the book starts at 1.0: cents are 1e-6 of it
FEE = 6 / 1e4


@dataclass
class Book:
    """One account, moved by the ledger as a one-row `Books`."""

    units: np.ndarray
    cash: float = 1.0
    fees: float = 0.0
    funding: float = 0.0
    turnovers: list[float] = field(default_factory=list)
    equity: list[float] = field(default_factory=list)

    @classmethod
    def empty(cls, n: int) -> Book:
        return cls(units=np.zeros(n))

    def run(self, move: Callable[[Books], None]) -> None:
        books = Books(
            self.units[None, :].copy(),
            np.array([self.cash]),
            np.array([self.fees]),
            np.array([self.funding]),
        )
        move(books)
        self.units, self.cash = books.units[0], float(books.cash[0])
        self.fees, self.funding = float(books.fees[0]), float(books.funding[0])
        self.turnovers.extend(float(t[0]) for t in books.turnovers)
        self.equity.extend(v for block in books.equity for v in block[0].tolist())


def trade(ledger: Ledger, book: Book, column: int, weights: np.ndarray | None) -> None:
    """Move the book to `weights` at `column`, or hold (weights None)."""
    target = np.zeros((1, book.units.size)) if weights is None else weights[None, :]
    trading = np.array([weights is not None])
    book.run(lambda books: ledger.rebalance(books, column, target, trading, FEE))


def hold(ledger: Ledger, book: Book, start: int, end: int) -> None:
    book.run(lambda books: ledger.carry(books, start, end))


def cents(value: float) -> float:
    return round(value * CAPITAL, 2)


@pytest.fixture
def ledger() -> Ledger:
    closes = np.array([[100.0, 110.0, 120.0, 90.0], [50.0, 50.0, 40.0, 60.0]])
    grid = T0 - HOUR_MS + HOUR_MS * np.arange(4, dtype=np.int64)  # closes at T0 .. T0+3h
    settle = np.array([T0 + 2 * HOUR_MS], dtype=np.int64)
    history = MarketHistory(
        symbols=["AUSDT", "BUSDT"],
        grid_ms=grid,
        open=closes,
        high=closes,
        low=closes,
        close=closes,
        volume=np.ones_like(closes),
        funding=[Funding(settle, np.array([0.001])), Funding(settle, np.array([-0.002]))],
    )
    return Ledger(history)


def test_buying_holding_paying_funding_and_rebalancing(ledger: Ledger) -> None:
    book = Book.empty(2)
    trade(ledger, book, ledger.column(T0), np.array([0.5, 0.5]))
    # The first book is turnover 1.0: 6.00 of fees on 10 000.
    assert book.turnovers == [1.0] and cents(book.fees) == 6.00
    hold(ledger, book, ledger.column(T0), ledger.column(T0 + 2 * HOUR_MS))
    # 49.97 A at 110 + 199.88 B at 50; then at 120/40, A's longs pay 0.1 % of 5 996.40 and
    # B's receive 0.2 % of 3 997.60: 1.9988 received.
    assert [cents(v) for v in book.equity] == [10_493.70, 9_996.00]
    assert cents(book.funding) == -2.00
    # To all-A: drifted weights 5 996.40 / 9 995.9988 and 3 997.60 / 9 995.9988; the trade
    # sells 3 997.60 of B and buys 3 999.5988 of A: 0.0006 x 7 997.1988 = 4.79831928 of fees.
    trade(ledger, book, ledger.column(T0 + 2 * HOUR_MS), np.array([1.0, 0.0]))
    assert book.turnovers[1] == pytest.approx(7_997.1988 / 9_995.9988, abs=1e-12)
    assert cents(book.fees) == 10.80
    hold(ledger, book, ledger.column(T0 + 2 * HOUR_MS), ledger.column(T0 + 3 * HOUR_MS))
    assert cents(book.equity[-1]) == 7_493.40  # 9 991.20047952 x 90 / 120


def test_weights_that_leave_something_unallocated_keep_it_in_cash(ledger: Ledger) -> None:
    book = Book.empty(2)
    trade(ledger, book, ledger.column(T0), np.array([0.0, 0.0]))
    assert book.cash == 1.0 and book.fees == 0.0
    hold(ledger, book, ledger.column(T0), ledger.column(T0 + 3 * HOUR_MS))
    assert book.equity == [1.0, 1.0, 1.0]


def test_holding_without_trading_costs_nothing(ledger: Ledger) -> None:
    book = Book.empty(2)
    trade(ledger, book, ledger.column(T0), np.array([0.5, 0.5]))
    trade(ledger, book, ledger.column(T0 + HOUR_MS), None)
    assert book.turnovers == [1.0, 0.0] and cents(book.fees) == 6.00
