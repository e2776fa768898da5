"""The as-run record's state and its hour: the real portfolio's book moved one hour forward.

The state holds the `as_run` book (the portfolio as it was run, whoever changed it), the last
known close of every symbol seen (what a holding is marked at while its market is silent) and
how many hours were marked with a held symbol's candle missing (carried, and counted). An hour
is marked from that hour's closes and funding settlements only: nothing later is read.

The baselines and the `policy` shadow book are not kept here: they decide on their own daily
clock (`app.records.keeping.forward`), not at the hours the portfolio happened to change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.records.keeping.book import LiveBook

AS_RUN = "as_run"
STRATEGIES = (AS_RUN,)  # the books kept, one each
Weights = dict[str, float]


@dataclass(frozen=True)
class HourMarked:
    equity: dict[str, float]  # by book in `STRATEGIES`
    turnover: dict[str, float]  # what each traded this hour (0 when it held)
    fees: dict[str, float]
    gap: bool  # a symbol the portfolio held had no candle this hour


@dataclass
class TrackState:
    books: dict[str, LiveBook] = field(default_factory=lambda: {b: LiveBook() for b in STRATEGIES})
    marks: dict[str, float] = field(default_factory=dict)
    gap_hours: int = 0

    def mark(
        self,
        closes: Mapping[str, float],
        rates: Mapping[str, float],
        target: Weights | None,
        cost: float,
    ) -> HourMarked:
        """One hour: settle funding on what is held, mark, then trade to `target` (None: hold)."""
        book = self.books[AS_RUN]
        gap = bool(set(book.units) - set(closes))
        self.gap_hours += gap
        self.marks.update(closes)
        before = (book.turnover, book.fees)
        book.settle(self.marks, rates)
        equity = book.value(self.marks)
        if target is not None:
            book.trade(self._priced(target), self.marks, cost)
        return HourMarked(
            {AS_RUN: equity},
            {AS_RUN: book.turnover - before[0]},
            {AS_RUN: book.fees - before[1]},
            gap,
        )

    def _priced(self, target: Weights) -> Weights:
        """`target` less what has no known price yet (that share stays in cash)."""
        return {s: w for s, w in target.items() if s in self.marks}

    def to_json(self) -> dict[str, Any]:
        return {
            "books": {name: book.to_json() for name, book in self.books.items()},
            "marks": self.marks,
            "gap_hours": self.gap_hours,
        }

    @classmethod
    def of(cls, stored: Mapping[str, Any]) -> TrackState:
        return cls(
            books={name: LiveBook.of(stored["books"][name]) for name in STRATEGIES},
            marks=dict(stored["marks"]),
            gap_hours=int(stored["gap_hours"]),
        )
