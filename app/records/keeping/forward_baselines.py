"""The baselines' targets at a forward decision (`app.records.keeping.forward`), by symbol name: the
replay's rules (`app.books.simulation.baselines`) over the decision's universe (its stage-1 core).

`btc_hold` buys the benchmark at the first decision and never trades again; `random` is
`draws` books, each kept while its picks stay eligible, vacancies drawn again from a generator
whose state is stored between decisions (the replay's `RandomPicks`, by symbol name). Every
other book trades back to its targets at every decision, as in the replay.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.books.simulation.baselines import EqualWeight, Momentum, TopVolume, Universe
from app.books.simulation.market_history import MarketHistory

Weights = dict[str, float]
NAMED = ("btc_hold", "equal_weight", "top_volume", "momentum")


def by_name(weights: np.ndarray | None, history: MarketHistory) -> Weights | None:
    if weights is None:
        return None
    return {history.symbols[i]: float(weights[i]) for i in np.flatnonzero(weights).tolist()}


def named_targets(
    universe: Universe, *, benchmark: str, top: int, momentum_days: int, first: bool
) -> dict[str, Weights | None]:
    """Each named baseline's target weights by symbol (None: it holds)."""
    history = universe.view.history
    btc: Weights | None = None
    if first:
        btc = {benchmark: 1.0} if benchmark in history.symbols else {}
    return {
        "btc_hold": btc,
        "equal_weight": by_name(EqualWeight().targets(universe), history),
        "top_volume": by_name(TopVolume(top).targets(universe), history),
        "momentum": by_name(Momentum(top, momentum_days).targets(universe), history),
    }


@dataclass
class RandomDraw:
    held: list[str]
    rng: np.random.Generator

    def targets(self, eligible: Sequence[str], top: int) -> Weights:
        """Its book, equal weight, rebalanced at every decision: its picks kept while every
        one is eligible, vacancies drawn from the eligible symbols in name order."""
        allowed = set(eligible)
        if not (len(self.held) == top and allowed.issuperset(self.held)):
            held = [s for s in self.held if s in allowed]
            if len(held) < top:
                pool = sorted(allowed - set(held))
                wanted = min(top - len(held), len(pool))
                if wanted > 0:
                    picks = self.rng.choice(len(pool), size=wanted, replace=False)
                    held += [pool[int(k)] for k in picks]
            self.held = held
        return {s: 1.0 / len(self.held) for s in self.held}

    def to_json(self) -> dict[str, Any]:
        return {"held": self.held, "rng": self.rng.bit_generator.state}

    @classmethod
    def of(cls, stored: dict[str, Any]) -> RandomDraw:
        rng = np.random.default_rng()
        rng.bit_generator.state = stored["rng"]
        return cls(list(stored["held"]), rng)

    @classmethod
    def seeded(cls, seed: int) -> RandomDraw:
        return cls([], np.random.default_rng(seed))
