"""The selection summary's figures per track and per swap (`app.books.simulation.selection_skill`
sums them up): a track's composite judged at each decision, its ICs with raw and with
universe-beta-residual forward returns and its decile spreads (`Ranking`); the swaps recommended
at decisions, each one's outcome over `HORIZONS` less its cost (`Swaps`). Means come with their
plain and Newey-West t, swap outcomes with their hit rate, clustered by decision date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from app.books.simulation.replay_report import RankingSummary, RawAndResidual
from app.stats.ic import MeanT, mean_t
from app.stats.skill import Outcome, outcome_figures

HORIZONS = {"1d": 24, "7d": 168, "30d": 720}  # hours after the decision


def _mean_t(values: np.ndarray, blocks: np.ndarray | None = None) -> MeanT:
    known = np.isfinite(values)
    return mean_t(values[known].tolist(), None if blocks is None else blocks[known])


@dataclass(frozen=True)
class Ranking:
    """One track's composite judged at each decision (NaN where it could not be)."""

    ic_raw: np.ndarray
    ic_residual: np.ndarray
    spread_raw: np.ndarray
    spread_residual: np.ndarray
    scores: dict[str, np.ndarray] = field(default_factory=dict)
    """Each component's and metric's (`metric:<name>`) IC with the residual returns."""

    def ic(
        self, chosen: np.ndarray | slice = slice(None), blocks: np.ndarray | None = None
    ) -> RawAndResidual:
        """Mean, t, HAC t and n of the raw and the universe-residual IC over the `chosen`
        decisions (`blocks`: each chosen decision's dataset)."""
        return {
            "raw": _mean_t(self.ic_raw[chosen], blocks),
            "residual_universe": _mean_t(self.ic_residual[chosen], blocks),
        }

    def summary(self, blocks: np.ndarray | None = None) -> RankingSummary:
        """The ICs and the decile spreads, each as mean, t, HAC t and n (component and metric
        ICs: against the universe-residual returns)."""
        return {
            "ic": self.ic(slice(None), blocks),
            "decile_spread": {
                "raw": _mean_t(self.spread_raw, blocks),
                "residual_universe": _mean_t(self.spread_residual, blocks),
            },
            "components": {
                name: _mean_t(v, blocks)
                for name, v in self.scores.items()
                if not name.startswith("metric:")
            },
            "metrics": {
                name.removeprefix("metric:"): _mean_t(v, blocks)
                for name, v in sorted(self.scores.items())
                if name.startswith("metric:")
            },
        }

    def take(self, chosen: np.ndarray) -> Ranking:
        """The `chosen` decisions only."""
        return Ranking(
            self.ic_raw[chosen],
            self.ic_residual[chosen],
            self.spread_raw[chosen],
            self.spread_residual[chosen],
            {name: v[chosen] for name, v in self.scores.items()},
        )

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

    def summary(self) -> dict[str, Outcome]:
        """Per horizon: n, decision dates, mean and its clustered t, hit rate (share above zero)
        and its 95 % interval clustered by decision date and overlapping horizons."""
        return {
            name: outcome_figures(self.outcomes[:, k], self.at_ms, hours, self.dataset)
            for k, (name, hours) in enumerate(HORIZONS.items())
        }

    @classmethod
    def concat(cls, swaps: Sequence[Swaps], offsets: Sequence[int]) -> Swaps:
        """`swaps` one after the other, each one's datasets shifted by its offset."""
        return cls(
            np.concatenate([s.dataset + o for s, o in zip(swaps, offsets, strict=True)]),
            np.concatenate([s.at_ms for s in swaps]),
            tuple(p for s in swaps for p in s.pairs),
            np.concatenate([s.outcomes for s in swaps]),
        )
