"""One live book, moved an hour at a time: the replay's ledger rules (`app.lab.replay.simulate`)
for a book kept forward, one symbol at a time, so it can be stored between hours.

Long only, fully funded, starting at 1.0. Each hour the holdings carried into it pay (positive
rate) or receive funding at the settlements of that hour, then the book is marked at the hour's
closes (carried over a symbol's missing candle); a decision at that hour then trades to its
target weights, paying `cost` on the traded notional (turnover = sum |w_target - w_drifted|).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class LiveBook:
    units: dict[str, float] = field(default_factory=dict)
    cash: float = 1.0
    fees: float = 0.0
    funding: float = 0.0
    turnover: float = 0.0  # summed over its trades
    trades: int = 0

    def value(self, marks: Mapping[str, float]) -> float:
        return self.cash + sum(u * marks[s] for s, u in self.units.items())

    def settle(self, marks: Mapping[str, float], rates: Mapping[str, float]) -> None:
        """Pay the funding settled this hour on the holdings carried into it."""
        paid = sum(u * rates[s] * marks[s] for s, u in self.units.items() if s in rates)
        self.cash -= paid
        self.funding += paid

    def trade(self, weights: Mapping[str, float], marks: Mapping[str, float], cost: float) -> None:
        """Trade to `weights` (fractions summing to at most 1, every one priced in `marks`;
        what they leave unallocated stays in cash)."""
        value = self.value(marks)
        drifted = {s: u * marks[s] / value for s, u in self.units.items()}
        turnover = sum(abs(weights.get(s, 0.0) - d) for s, d in drifted.items()) + sum(
            abs(w) for s, w in weights.items() if s not in drifted
        )
        fee = turnover * cost * value
        value -= fee
        self.units = {s: w * value / marks[s] for s, w in weights.items() if w > 0}
        self.cash = value * (1.0 - sum(weights.values()))
        self.fees += fee
        self.turnover += turnover
        self.trades += 1

    def to_json(self) -> dict[str, Any]:
        return {
            "units": self.units,
            "cash": self.cash,
            "fees": self.fees,
            "funding": self.funding,
            "turnover": self.turnover,
            "trades": self.trades,
        }

    @classmethod
    def of(cls, stored: Mapping[str, Any]) -> LiveBook:
        return cls(
            dict(stored["units"]),
            float(stored["cash"]),
            float(stored["fees"]),
            float(stored["funding"]),
            float(stored["turnover"]),
            int(stored["trades"]),
        )
