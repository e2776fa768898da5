"""Selection skill with the market's direction taken out, decision by decision, and its summary
(the report's `selection`).

- The universe: the equal-weight index of the contracts eligible at each decision (passed the
  gate and scored); its return to the next decision is the mean of theirs, close to close as
  `ic.forward_returns`, gross (an index, not a traded book).
- Per strategy: the book's return over each period after costs (fees at the rebalance, funding),
  regressed on the universe's (`skill.regression`: alpha, beta, active return...).
- Per track: the composite's Spearman IC with raw forward returns and with universe-beta-residual
  ones (r_i - beta_i r_universe, beta_i from the 168 hourly returns to t), and the decile
  spread: the mean forward return of the top tenth of the scored contracts by composite minus
  the bottom tenth's (one each under ten), on raw and on residual returns.
- Swaps of the first track: each executed replacement's newcomer minus the member it replaced
  over 1, 7 and 30 days from t, less the swap's cost (2 x the cost rate); the same for each
  blocked recommendation (positive: blocking cost the book). Blocked recommendations repeat from
  one decision to the next, so their outcomes overlap: their interval is optimistic.

Series of several datasets combine by concatenation: the pooled figures are those of every
decision and swap together; `datasets` gives alpha and IC per dataset.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.replay.evidence import mean_t, rounded
from app.replay.skill import outcome_figures, periods_per_year, regression

HORIZONS = {"1d": 24, "7d": 168, "30d": 720}  # hours after the decision
PER_DATASET = ("n", "alpha", "alpha_annualised", "alpha_t", "beta")


def _mean_t(values: np.ndarray) -> dict[str, Any]:
    return mean_t(values[np.isfinite(values)].tolist())


@dataclass(frozen=True)
class Ranking:
    """One track's composite judged at each decision (NaN where it could not be)."""

    ic_raw: np.ndarray
    ic_residual: np.ndarray
    spread_raw: np.ndarray
    spread_residual: np.ndarray
    scores: dict[str, np.ndarray] = field(default_factory=dict)
    """Each component's and metric's (`metric:<name>`) IC with the residual returns."""

    def ic(self, chosen: np.ndarray | slice = slice(None)) -> dict[str, Any]:
        """Mean, t and n of the raw and the residual IC over the `chosen` decisions."""
        return {"raw": _mean_t(self.ic_raw[chosen]), "residual": _mean_t(self.ic_residual[chosen])}

    def summary(self) -> dict[str, Any]:
        """The ICs and the decile spreads, each as mean, t and n."""
        return {
            "ic": self.ic(),
            "decile_spread": {
                "raw": _mean_t(self.spread_raw),
                "residual": _mean_t(self.spread_residual),
            },
            "components": {
                name: _mean_t(v)
                for name, v in self.scores.items()
                if not name.startswith("metric:")
            },
            "metrics": {
                name.removeprefix("metric:"): _mean_t(v)
                for name, v in sorted(self.scores.items())
                if name.startswith("metric:")
            },
        }

    @classmethod
    def concat(cls, rankings: Sequence[Ranking]) -> Ranking:
        """The decisions of `rankings`, one after the other (a score one of them lacks is
        unmeasured at its decisions)."""
        names = list(dict.fromkeys(name for r in rankings for name in r.scores))
        scores = {
            name: np.concatenate(
                [r.scores.get(name, np.full(r.ic_raw.size, np.nan)) for r in rankings]
            )
            for name in names
        }
        ic_raw, ic_residual, spread_raw, spread_residual = (
            np.concatenate([getattr(r, f) for r in rankings]) for f in _RANKING_FIELDS
        )
        return cls(ic_raw, ic_residual, spread_raw, spread_residual, scores)


_RANKING_FIELDS = ("ic_raw", "ic_residual", "spread_raw", "spread_residual")


@dataclass(frozen=True)
class Swaps:
    """Swaps recommended at decisions: the outsider's return minus the member's over each of
    `HORIZONS`, less the swap's cost (NaN where the horizon passes the history's end or a close
    is missing)."""

    dataset: np.ndarray  # (r,) the dataset each swap belongs to
    at_ms: np.ndarray  # (r,) the decision time
    pairs: tuple[tuple[str, str], ...]  # (member, outsider)
    outcomes: np.ndarray  # (r, len(HORIZONS))

    @classmethod
    def empty(cls) -> Swaps:
        return cls(np.zeros(0, np.int64), np.zeros(0, np.int64), (), np.zeros((0, len(HORIZONS))))

    def summary(self) -> dict[str, Any]:
        """Per horizon: n, mean, hit rate (share above zero) and its 95 % Wilson interval."""
        return {name: outcome_figures(self.outcomes[:, k]) for k, name in enumerate(HORIZONS)}

    @classmethod
    def concat(cls, swaps: Sequence[Swaps], offsets: Sequence[int]) -> Swaps:
        """`swaps` one after the other, each one's datasets shifted by its offset."""
        return cls(
            np.concatenate([s.dataset + o for s, o in zip(swaps, offsets, strict=True)]),
            np.concatenate([s.at_ms for s in swaps]),
            tuple(p for s in swaps for p in s.pairs),
            np.concatenate([s.outcomes for s in swaps]),
        )


@dataclass(frozen=True)
class SelectionSeries:
    """Everything the `selection` summary is computed from, per decision (and per swap)."""

    every_h: int  # decision interval
    swap_cost: float  # what a swap costs: 2 x the cost rate
    labels: tuple[str, ...]  # the datasets, in order
    dataset: np.ndarray  # (d,) each decision's dataset, an index into `labels`
    at_ms: np.ndarray  # (d,) decision times
    universe: np.ndarray  # (d,) the universe's return to the next decision
    books: dict[str, np.ndarray]  # per strategy, (d,) its book's return after costs
    rankings: dict[str, Ranking]  # per track
    executed: Swaps  # the first track's replacements
    blocked: Swaps  # the first track's blocked recommendations

    def summary(self) -> dict[str, Any]:
        """The report's `selection`: the universe, each strategy's regression on it, each
        track's ranking figures, the swap outcomes, and alpha and IC per dataset."""
        per_year = periods_per_year(self.every_h)
        known = self.universe[np.isfinite(self.universe)]
        mean = float(known.mean()) if known.size else float("nan")
        return {
            "universe": {
                "n": int(known.size),
                "mean": rounded(mean),
                "annualised": rounded(mean * per_year),
                "periods_per_year": rounded(per_year),
            },
            "strategies": {
                name: regression(book, self.universe, per_year) for name, book in self.books.items()
            },
            "ranking": {name: ranking.summary() for name, ranking in self.rankings.items()},
            "replacements": {
                "swap_cost": rounded(self.swap_cost),
                "executed": self.executed.summary(),
                "blocked": self.blocked.summary(),
            },
            "datasets": [self._dataset(k, per_year) for k in range(len(self.labels))],
        }

    def _dataset(self, k: int, per_year: float) -> dict[str, Any]:
        chosen = self.dataset == k
        universe = self.universe[chosen]
        return {
            "source": self.labels[k],
            "decisions": int(np.count_nonzero(chosen)),
            "strategies": {
                name: {
                    key: value
                    for key, value in regression(book[chosen], universe, per_year).items()
                    if key in PER_DATASET
                }
                for name, book in self.books.items()
            },
            "ic": {name: ranking.ic(chosen) for name, ranking in self.rankings.items()},
        }

    @classmethod
    def combine(cls, series: Sequence[SelectionSeries]) -> SelectionSeries:
        """The series one after the other: pooled, its summary's figures are those of all their
        decisions and swaps; each keeps its datasets. They must share the decision interval,
        the swap cost, the strategies and the tracks."""
        if not series:
            raise ValueError("nothing to combine")
        first = series[0]
        for s in series[1:]:
            same = (s.every_h, s.swap_cost, list(s.books), list(s.rankings)) == (
                first.every_h, first.swap_cost, list(first.books), list(first.rankings)
            )  # fmt: skip
            if not same:
                raise ValueError(
                    "only series of one interval, cost, set of strategies and tracks combine"
                )
        offsets = np.cumsum([0] + [len(s.labels) for s in series]).tolist()[:-1]
        return cls(
            every_h=first.every_h,
            swap_cost=first.swap_cost,
            labels=tuple(label for s in series for label in s.labels),
            dataset=np.concatenate([s.dataset + o for s, o in zip(series, offsets, strict=True)]),
            at_ms=np.concatenate([s.at_ms for s in series]),
            universe=np.concatenate([s.universe for s in series]),
            books={name: np.concatenate([s.books[name] for s in series]) for name in first.books},
            rankings={
                name: Ranking.concat([s.rankings[name] for s in series]) for name in first.rankings
            },
            executed=Swaps.concat([s.executed for s in series], offsets),
            blocked=Swaps.concat([s.blocked for s in series], offsets),
        )
