"""Every strategy's book kept as one row of `Books` gives, to the bit, what the same book kept
on its own one trade at a time gives (the ledger before books were batched, restated here)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest

from app.lab.replay.simulate import Books, Ledger
from app.platform.core.units import HOUR_MS
from tests.replay_data import START_MS, random_walks

FEE = 6 / 1e4


@dataclass
class OneBook:
    units: np.ndarray
    cash: float = 1.0
    fees: float = 0.0
    funding: float = 0.0
    turnovers: list[float] = field(default_factory=list)
    equity: list[float] = field(default_factory=list)


def trade_one(ledger: Ledger, book: OneBook, column: int, weights: np.ndarray | None) -> None:
    if weights is None:
        book.turnovers.append(0.0)
        return
    prices = ledger.marks[:, column]
    held = book.units != 0
    value = float(book.units[held] @ prices[held]) + book.cash
    drifted = np.zeros_like(weights)
    drifted[held] = book.units[held] * prices[held] / value
    turnover = float(np.abs(weights - drifted).sum())
    fee = turnover * FEE * value
    value -= fee
    units = np.zeros_like(weights)
    buy = weights > 0
    units[buy] = weights[buy] * value / prices[buy]
    book.units, book.cash = units, value * (1.0 - float(weights.sum()))
    book.fees += fee
    book.turnovers.append(turnover)


def hold_one(ledger: Ledger, book: OneBook, start: int, end: int) -> None:
    columns = slice(start + 1, end + 1)
    held = np.flatnonzero(book.units)
    if held.size == 0:
        book.equity.extend([book.cash] * (end - start))
        return
    units = book.units[held]
    prices = ledger.marks[held, columns]
    paid = np.cumsum((ledger.rates[held, columns] * prices).T @ units)
    book.equity.extend((prices.T @ units + book.cash - paid).tolist())
    book.funding += float(paid[-1])
    book.cash -= float(paid[-1])


def random_targets(rng: np.random.Generator, n: int) -> np.ndarray | None:
    kind = rng.integers(0, 4)
    if kind == 0:
        return None  # holds
    weights = np.zeros(n)
    picked = rng.choice(n, size=int(rng.integers(1, n + 1)), replace=False)
    weights[picked] = rng.uniform(0.1, 1.0, picked.size) if kind == 1 else 1.0
    return weights / weights.sum() * (0.8 if kind == 3 else 1.0)  # kind 3 keeps some cash


class TestBooks:
    def test_rows_match_books_kept_one_by_one(self) -> None:
        history = random_walks(24, 24 * 20, seed=3)  # 8-hourly funding
        ledger, rng = Ledger(history), np.random.default_rng(9)
        count, n = 30, history.size
        books, alone = Books.empty(count, n), [OneBook(np.zeros(n)) for _ in range(count)]
        times = [START_MS + h * HOUR_MS for h in (30, 31, 32, 40, 64, 65, 90, 200)]
        for t, following in zip(times, [*times[1:], START_MS + 300 * HOUR_MS], strict=True):
            column, until = ledger.column(t), ledger.column(following)
            targets = [random_targets(rng, n) for _ in range(count)]
            trading = np.array([w is not None for w in targets])
            weights = np.array([np.zeros(n) if w is None else w for w in targets])
            ledger.rebalance(books, column, weights, trading, FEE)
            ledger.carry(books, column, until)
            for book, w in zip(alone, targets, strict=True):
                trade_one(ledger, book, column, w)
                hold_one(ledger, book, column, until)
        equity, turnovers = books.equity_curves(), books.turnover_table()
        for k, book in enumerate(alone):
            assert equity[k].tolist() == book.equity
            assert turnovers[k].tolist() == book.turnovers
            assert books.units[k].tolist() == book.units.tolist()
            assert (books.cash[k], books.fees[k], books.funding[k]) == (
                book.cash,
                book.fees,
                book.funding,
            )

    def test_a_target_on_a_symbol_not_yet_priced_is_refused(self) -> None:
        history = random_walks(3, 48)
        history.close[1, :20] = np.nan  # listed at hour 20
        ledger, books = Ledger(history), Books.empty(2, 3)
        trading = np.ones(2, dtype=bool)
        fine = np.array([[0.5, 0.0, 0.5], [1.0, 0.0, 0.0]])
        ledger.rebalance(books, 5, fine, trading, FEE)  # no weight on the unpriced symbol
        with pytest.raises(ValueError, match="without a price"):
            ledger.rebalance(books, 6, np.array([[0.5, 0.0, 0.5], [0.5, 0.5, 0.0]]), trading, FEE)
        ledger.rebalance(books, 25, np.array([[0.5, 0.0, 0.5], [0.5, 0.5, 0.0]]), trading, FEE)
