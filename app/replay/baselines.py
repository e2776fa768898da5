"""Simple rules the policy must beat, run on the same dates, universe and costs.

Each chooses among the symbols the policy could have chosen at that decision (shortlisted and
passing the gate) and holds them at equal weight, rebalanced at every decision:
- `btc_hold`: BTC bought at the first decision and held (never traded again);
- `equal_weight`: every eligible symbol;
- `top_volume`: the top N by trailing 24 h quote volume (freqtrade's VolumePairList);
- `momentum`: the top N by trailing 30-day return (over the history known at t while that is
  shorter);
- `random`: N random symbols (a seeded draw), kept while eligible, vacancies drawn again; the
  report shows the mean book of `random_draws` such draws.
"""

from __future__ import annotations

import heapq
from typing import Protocol

import numpy as np

from app.replay.history import PointInTime


class Universe(Protocol):
    """What a baseline reads at a decision: a replay's `Context`, or the live track record's
    universe (`app.trackrecord.baselines`)."""

    @property
    def view(self) -> PointInTime: ...
    @property
    def eligible(self) -> list[int]: ...  # symbol indices, in symbol order
    @property
    def turnover(self) -> np.ndarray: ...  # 24 h quote turnover by row
    @property
    def positions(self) -> dict[int, int]: ...  # symbol index -> its row in `turnover`

    def turnover_24h(self) -> dict[int, float]: ...


def equal_over(indices: list[int], n: int) -> np.ndarray:
    weights = np.zeros(n)
    if indices:
        weights[indices] = 1.0 / len(indices)
    return weights


class BtcHold:
    def __init__(self, benchmark: str) -> None:
        self.benchmark = benchmark
        self.bought = False

    def targets(self, ctx: Universe) -> np.ndarray | None:
        if self.bought:
            return None
        history = ctx.view.history
        self.bought = True
        return equal_over([history.index_of(self.benchmark)], history.size)


class EqualWeight:
    def targets(self, ctx: Universe) -> np.ndarray | None:
        return equal_over(ctx.eligible, ctx.view.history.size)


class TopVolume:
    def __init__(self, top: int) -> None:
        self.top = top

    def targets(self, ctx: Universe) -> np.ndarray | None:
        history = ctx.view.history
        eligible = np.array(ctx.eligible, dtype=np.int64)
        volume = ctx.turnover[[ctx.positions[i] for i in ctx.eligible]]
        if np.isnan(volume).any():  # ordered as Python orders NaN keys
            by_symbol = ctx.turnover_24h()
            chosen = heapq.nsmallest(
                self.top, ctx.eligible, key=lambda i: (-by_symbol[i], history.symbols[i])
            )
            return equal_over(chosen, history.size)
        # The highest volumes first, ties to the symbol first by name.
        order = np.lexsort((history.alphabetical[eligible], -volume))
        return equal_over(eligible[order[: max(self.top, 0)]].tolist(), history.size)


class Momentum:
    def __init__(self, top: int, days: int) -> None:
        self.top = top
        self.hours = days * 24

    def targets(self, ctx: Universe) -> np.ndarray | None:
        last = ctx.view.candles("close", 1)[:, 0]
        # The return since the lookback's first known close: 30 days once history is that
        # long (before then, over the history known at t).
        first = ctx.view.first_close_within(self.hours + 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            change = last / first - 1.0
        eligible = np.array(ctx.eligible, dtype=np.int64)
        known = eligible[np.isfinite(change[eligible])]
        # The highest changes first, ties to the symbol first by name.
        order = np.lexsort((ctx.view.history.alphabetical[known], -change[known]))
        return equal_over(known[order[: self.top]].tolist(), ctx.view.history.size)


class RandomPicks:
    """`draws` random books at once: row k draws with the generator seeded `seed + k`."""

    def __init__(self, top: int, seed: int, draws: int, n: int) -> None:
        self.top = top
        self.rngs = [np.random.default_rng(seed + k) for k in range(draws)]
        self.held: list[list[int]] = [[] for _ in range(draws)]
        self.weights = np.zeros((draws, n))

    def targets(self, ctx: Universe) -> np.ndarray:
        """`(draws, n)` weights (read-only): each draw's book kept while eligible, vacancies
        drawn again."""
        eligible = set(ctx.eligible)
        for k, rng in enumerate(self.rngs):
            before = self.held[k]
            if len(before) == self.top and eligible.issuperset(before):
                continue  # every pick still eligible: the book is kept
            held = [i for i in before if i in eligible]
            if len(held) < self.top:
                pool = sorted(eligible - set(held))
                wanted = min(self.top - len(held), len(pool))
                if wanted > 0:
                    held += [int(i) for i in rng.choice(pool, size=wanted, replace=False)]
            if held != before:
                self.held[k] = held
                self.weights[k] = 0.0
                if held:
                    self.weights[k, held] = 1.0 / len(held)
        weights = self.weights.view()
        weights.flags.writeable = False
        return weights
