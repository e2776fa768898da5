"""Selection skill with the market's direction taken out, decision by decision, and its summary
(the report's `selection`).

- The universe: the equal-weight index of the contracts eligible at each decision (passed the
  gate and scored); its return to the next decision is the mean of theirs, close to close as
  `coefficients.forward_returns`, gross (an index, not a traded book).
- Per strategy: the book's return over each period after costs (fees at the rebalance, funding),
  regressed on the universe's (`app.stats.skill.regression`: alpha, beta, active return...).
- Per track: the composite's Spearman IC with raw forward returns and with universe-beta-residual
  ones (r_i - beta_i r_universe, beta_i from the 168 hourly returns to t), and the decile
  spread: the mean forward return of the top tenth of the scored contracts by composite minus
  the bottom tenth's (one each under ten), on raw and on residual returns.
- Swaps of the first track: each executed replacement's newcomer minus the member it replaced
  over 1, 7 and 30 days from t, less the swap's cost (2 x the cost rate); the same for each
  blocked recommendation (positive: blocking cost the book). Outcomes from nearby decisions
  overlap (a 30-day outcome each day; blocked recommendations repeat from one decision to the
  next), so the hit rate's interval and the mean's t are clustered by decision date, dates whose
  horizons overlap covarying (`app.stats.skill.outcome_figures`).
- Every mean has its Newey-West t beside the plain one (`t_hac`; alpha: `alpha_t_hac`), the
  HAC sums kept within a dataset. The IC against universe-beta-residual returns is
  `residual_universe` (the `ic` section's BTC-beta one is `residual_btc`).
- A last period shorter than the decision interval (`full` False: the range or the history ends
  inside it) is not counted as a full one: the per-decision figures leave it out (its swaps,
  judged over their own horizons, stay).

Series of several datasets combine by concatenation: the pooled figures are those of every
decision and swap together; `datasets` gives alpha and IC per dataset. Each track's figures and
the swaps' are `app.books.simulation.selection_figures`'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from app.books.simulation.replay_report import DatasetAlpha, SelectionDataset, SelectionSummary
from app.books.simulation.selection_figures import Ranking, Swaps
from app.platform.core.units import HOUR_MS
from app.stats.nulls import null_distribution
from app.stats.rounding import rounded
from app.stats.skill import PairedRegression, Regression, paired, periods_per_year, regression


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
    full: np.ndarray | None = None  # (d,) the period is a whole decision interval (None: all)
    draws: dict[str, np.ndarray] = field(default_factory=dict)
    """Per null (`random`, `random_turnover`), (k, d) each random draw's book return."""

    def with_draws(
        self, equity: Mapping[str, np.ndarray], entries: Sequence[int]
    ) -> SelectionSeries:
        """This series with each null's random draws (`equity[null]`: (k, hours) hourly equity
        from the first entry) as per-period book returns between `entries` (each decision's
        execution, then the valuation end)."""
        hours = (np.asarray(entries, dtype=np.int64) - entries[0]) // HOUR_MS
        draws = {}
        for name, curves in equity.items():
            marks = curves[:, hours]
            draws[name] = marks[:, 1:] / marks[:, :-1] - 1.0
        return replace(self, draws=draws)

    def full_periods(self) -> SelectionSeries:
        """The series without the decisions whose period is shorter than the interval."""
        if self.full is None or self.full.all():
            return self
        keep = self.full
        return replace(
            self,
            dataset=self.dataset[keep],
            at_ms=self.at_ms[keep],
            universe=self.universe[keep],
            books={name: book[keep] for name, book in self.books.items()},
            rankings={name: ranking.take(keep) for name, ranking in self.rankings.items()},
            full=None,
            draws={name: rows[:, keep] for name, rows in self.draws.items()},
        )

    def summary(self) -> SelectionSummary:
        """The report's `selection`: the universe, each strategy's regression on it, each
        track's ranking figures, the swap outcomes, the tracks among the random draws, and
        alpha and IC per dataset (over whole periods only)."""
        if self.full is not None and not self.full.all():
            return self.full_periods().summary()
        per_year = periods_per_year(self.every_h)
        known = self.universe[np.isfinite(self.universe)]
        mean = float(known.mean()) if known.size else float("nan")
        blocks = self.dataset
        return {
            "universe": {
                "n": int(known.size),
                "mean": rounded(mean),
                "annualised": rounded(mean * per_year),
                "periods_per_year": rounded(per_year),
            },
            "strategies": {
                name: regression(book, self.universe, per_year, blocks)
                for name, book in self.books.items()
            },
            "ranking": {name: ranking.summary(blocks) for name, ranking in self.rankings.items()},
            "replacements": {
                "swap_cost": rounded(self.swap_cost),
                "executed": self.executed.summary(),
                "blocked": self.blocked.summary(),
            },
            "random": {
                null: null_distribution(
                    {name: self.books[name] for name in self._placed(null) if name in self.books},
                    rows,
                    self.universe,
                    per_year,
                )
                for null, rows in self.draws.items()
            },
            "datasets": [self._dataset(k, per_year) for k in range(len(self.labels))],
        }

    def _placed(self, null: str) -> list[str]:
        """The tracks placed among a null's draws: every track among `random`'s; a turnover
        null's own track only (`random_turnover`: the first; `random_turnover@<track>`)."""
        tracks = list(self.rankings)
        if null == "random":
            return tracks
        owner = null.partition("@")[2]
        return [owner] if owner else tracks[:1]

    def paired(self, name: str, default: str) -> PairedRegression:
        """Book `name` against book `default` by the paired regression
        (`app.stats.skill.paired`)."""
        per_year = periods_per_year(self.every_h)
        series = self.full_periods()
        return paired(
            series.books[name], series.books[default], series.universe, per_year, series.dataset
        )

    def _dataset(self, k: int, per_year: float) -> SelectionDataset:
        chosen = self.dataset == k
        universe = self.universe[chosen]
        return {
            "source": self.labels[k],
            "decisions": int(np.count_nonzero(chosen)),
            "strategies": {
                name: _per_dataset(regression(book[chosen], universe, per_year))
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
                first.every_h,
                first.swap_cost,
                list(first.books),
                list(first.rankings),
            )
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
            full=np.concatenate(
                [np.ones(s.at_ms.size, bool) if s.full is None else s.full for s in series]
            ),
            draws=_combined_draws(series),
        )


def _per_dataset(figures: Regression) -> DatasetAlpha:
    """The figures of a regression kept per dataset (`DatasetAlpha`, in the regression's
    order)."""
    return {
        "n": figures["n"],
        "alpha": figures["alpha"],
        "alpha_annualised": figures["alpha_annualised"],
        "alpha_t": figures["alpha_t"],
        "alpha_t_hac": figures["alpha_t_hac"],
        "beta": figures["beta"],
    }


def _combined_draws(series: Sequence[SelectionSeries]) -> dict[str, np.ndarray]:
    """The nulls every series has with as many draws, their periods one after the other."""
    names = [n for n in series[0].draws if all(n in s.draws for s in series)]
    return {
        n: np.concatenate([s.draws[n] for s in series], axis=1)
        for n in names
        if len({s.draws[n].shape[0] for s in series}) == 1
    }
