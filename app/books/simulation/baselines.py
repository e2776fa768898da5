"""Simple rules the policy must beat, run on the same dates, universe and costs.

Each chooses among the symbols the policy could have chosen at that decision (shortlisted and
passing the gate) and holds them at equal weight, rebalanced at every decision:
- `btc_hold`: BTC bought at the first decision and held (never traded again);
- `equal_weight`: every eligible symbol;
- `top_volume`: the top N by trailing 24 h quote volume (freqtrade's VolumePairList);
- `momentum`: the top N by trailing 30-day return (over the history known at t while that is
  shorter);
- `random`: N random symbols (a seeded draw), kept while eligible, vacancies drawn again; the
  report shows the mean book of `random_draws` such draws, and where the policy falls among them;
- `random_turnover`: the null at the policy's own turnover: N random symbols, and at each
  decision as many members replaced at random as the policy replaced (members no longer eligible
  leave first); the mean book of `random_draws` draws, and the policy among them.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from app.books.simulation.market_history import PointInTime


class Universe(Protocol):
    """What a baseline reads at a decision: a replay's `Context`, or the live track record's
    universe (`app.records.keeping.forward_baselines`)."""

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


class RandomTurnover:
    """`draws` random books that turn over as a policy does, drawn with one generator seeded
    `(seed, 1)` (independent of `RandomPicks`' draws; the same for every track, so a track's null
    is the same whichever tracks run beside it). All draws at once: each decision ranks random
    keys, so a draw's leavers and joiners are uniform among its members and outsiders."""

    def __init__(self, top: int, seed: int, draws: int, n: int) -> None:
        self.top = top
        self.rng = np.random.default_rng([seed, 1])
        self.held = np.zeros((draws, n), dtype=bool)
        self.weights = np.zeros((draws, n))
        self.policy: set[int] = set()  # the policy's members at the last decision

    def targets(self, ctx: Universe, members: set[int]) -> np.ndarray:
        """`(draws, n)` weights (read-only) after the policy moved to `members` (symbol
        indices): each draw replaces as many of its members as the policy did (a member no
        longer eligible leaves first and counts as one)."""
        changed = len(members - self.policy)
        self.policy = set(members)
        eligible = np.zeros(self.held.shape[1], dtype=bool)
        eligible[ctx.eligible] = True
        before = self.held
        still = before & eligible
        sizes = still.sum(axis=1)
        if changed or (sizes != before.sum(axis=1)).any() or (sizes != self.top).any():
            forced = before.sum(axis=1) - sizes
            leaving = np.minimum(np.maximum(changed - forced, 0), sizes)
            kept = still & ~_lowest(np.where(still, self.rng.random(before.shape), np.inf), leaving)
            pool = eligible & ~before
            wanted = np.maximum(self.top - kept.sum(axis=1), 0)
            joining = _lowest(np.where(pool, self.rng.random(before.shape), np.inf), wanted)
            self.held = kept | joining
            count = self.held.sum(axis=1, keepdims=True)
            self.weights = np.divide(
                self.held, count, out=np.zeros(self.held.shape), where=count > 0
            )
        weights = self.weights.view()
        weights.flags.writeable = False
        return weights


def _lowest(keys: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Per row, the `counts[row]` entries with the lowest finite keys (a boolean mask)."""
    out = np.zeros(keys.shape, dtype=bool)
    rows = np.flatnonzero(counts > 0)
    if rows.size:
        order = np.argsort(keys[rows], axis=1, kind="stable")
        take = np.arange(keys.shape[1])[None, :] < counts[rows, None]
        chosen = np.take_along_axis(keys[rows], order, axis=1)
        take &= np.isfinite(chosen)
        picked = np.zeros((rows.size, keys.shape[1]), dtype=bool)
        np.put_along_axis(picked, order, take, axis=1)
        out[rows] = picked
    return out


NULLS = ("random", "random_turnover")  # the random books, each `draws` rows of a run's books
STRATEGIES = ("policy", "btc_hold", "equal_weight", "top_volume", "momentum", *NULLS)
"""The books of a replay's report, in its order: the policy, the baselines, the random nulls."""


def null_names(tracks: Sequence[str]) -> list[str]:
    """The random books of a run, in row order: `random`, then the turnover null of each track
    (`random_turnover` the first's, `random_turnover@<track>` the others')."""
    return ["random", "random_turnover", *(f"random_turnover@{t}" for t in tracks[1:])]


class RandomNulls:
    """The nulls' draws as one block of rows: `random`'s, then each track's turnover null."""

    def __init__(self, top: int, seed: int, draws: int, n: int, tracks: int = 1) -> None:
        self.draws = draws
        self.picks = RandomPicks(top, seed, draws, n)
        self.turnover = [RandomTurnover(top, seed, draws, n) for _ in range(tracks)]

    @property
    def rows(self) -> int:
        return (1 + len(self.turnover)) * self.draws

    def targets(self, ctx: Universe, members: Sequence[set[int]]) -> np.ndarray:
        """`(rows, n)` weights after each track moved to its `members` (symbol indices)."""
        return np.vstack(
            [
                self.picks.targets(ctx),
                *(null.targets(ctx, m) for null, m in zip(self.turnover, members, strict=True)),
            ]
        )
