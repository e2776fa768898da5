"""The track record's state and its hour: every book moved one hour forward.

The state holds each strategy's book, the random draws, the last known close of every symbol
seen (what a holding is marked at while its market is silent) and how many hours were marked
with a held symbol's candle missing (carried, and counted). An hour is marked from that hour's
closes and funding settlements only: nothing later is read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.trackrecord.baselines import RandomDraw, Weights
from app.trackrecord.book import LiveBook

STRATEGIES = ("policy", "btc_hold", "equal_weight", "top_volume", "momentum", "random")
BOOKS = STRATEGIES[:-1]  # kept one each; `random` is the mean of the draws


@dataclass(frozen=True)
class Decision:
    """Every book's targets at one hour (None: that book holds)."""

    targets: dict[str, Weights | None]  # by book in `BOOKS`
    draws: list[Weights]  # by random draw (each trades at every decision)


@dataclass(frozen=True)
class HourMarked:
    equity: dict[str, float]  # by strategy in `STRATEGIES`
    turnover: dict[str, float]  # what each traded this hour (0 when it held)
    fees: dict[str, float]
    gap: bool  # a symbol the policy held had no candle this hour


@dataclass
class TrackState:
    books: dict[str, LiveBook] = field(default_factory=lambda: {b: LiveBook() for b in BOOKS})
    draws: list[tuple[RandomDraw, LiveBook]] = field(default_factory=list)
    marks: dict[str, float] = field(default_factory=dict)
    gap_hours: int = 0

    @classmethod
    def fresh(cls, seed: int, draws: int) -> TrackState:
        return cls(draws=[(RandomDraw.seeded(seed + k), LiveBook()) for k in range(draws)])

    def mark(
        self,
        closes: Mapping[str, float],
        rates: Mapping[str, float],
        decision: Decision | None,
        cost: float,
    ) -> HourMarked:
        """One hour: settle funding on what is held, mark, then trade to `decision`."""
        held = set(self.books["policy"].units)
        gap = bool(held - set(closes))
        self.gap_hours += gap
        self.marks.update(closes)
        books = [*self.books.items(), *((f"draw{k}", b) for k, (_, b) in enumerate(self.draws))]
        before = {name: (book.turnover, book.fees) for name, book in books}
        equity: dict[str, float] = {}
        for name, book in books:
            book.settle(self.marks, rates)
            equity[name] = book.value(self.marks)
        if decision is not None:
            for name, target in decision.targets.items():
                if target is not None:
                    self.books[name].trade(self._priced(target), self.marks, cost)
            for (_, book), target in zip(self.draws, decision.draws, strict=True):
                book.trade(self._priced(target), self.marks, cost)
        turnover = {name: book.turnover - before[name][0] for name, book in books}
        fees = {name: book.fees - before[name][1] for name, book in books}
        return HourMarked(
            _with_random(equity, len(self.draws)),
            _with_random(turnover, len(self.draws)),
            _with_random(fees, len(self.draws)),
            gap,
        )

    def _priced(self, target: Weights) -> Weights:
        """`target` less what has no known price yet (that share stays in cash)."""
        return {s: w for s, w in target.items() if s in self.marks}

    def to_json(self) -> dict[str, Any]:
        return {
            "books": {name: book.to_json() for name, book in self.books.items()},
            "draws": [{**draw.to_json(), "book": book.to_json()} for draw, book in self.draws],
            "marks": self.marks,
            "gap_hours": self.gap_hours,
        }

    @classmethod
    def of(cls, stored: Mapping[str, Any]) -> TrackState:
        return cls(
            books={name: LiveBook.of(b) for name, b in stored["books"].items()},
            draws=[(RandomDraw.of(d), LiveBook.of(d["book"])) for d in stored["draws"]],
            marks=dict(stored["marks"]),
            gap_hours=int(stored["gap_hours"]),
        )


def _with_random(values: dict[str, float], draws: int) -> dict[str, float]:
    """The books' values, the draws' replaced by their mean as `random`."""
    out = {name: values[name] for name in BOOKS}
    out["random"] = sum(values[f"draw{k}"] for k in range(draws)) / draws if draws else 0.0
    return out
