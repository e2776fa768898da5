"""Information coefficients as statistics: one score's IC at each decision (`IcSeries`), and the
mean of any per-decision series with its plain and Newey-West t (`mean_t`).

Every mean of a per-decision series has its plain t and, beside it, its Newey-West t (`t_hac`:
`app.stats.hac`, lags `newey_west_lags(n)` = floor(4 (n / 100) ^ (2 / 9)), lagged products kept
within a dataset when several are pooled). The IC against returns net of BTC beta is
`residual_btc` (the replay's selection section's universe-beta residual is
`residual_universe`). What the ICs are of, decision by decision, is the replay's
(`app.books.simulation.coefficients`); the correlation itself is `app.stats.rank.spearman`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypedDict

import numpy as np

from app.stats.hac import hac_t
from app.stats.rounding import rounded


class MeanT(TypedDict):
    """A per-decision series' mean, its plain and Newey-West t, and how many (`mean_t`)."""

    mean: float | None
    t: float | None
    t_hac: float | None
    n: int


class IcFigures(MeanT):
    """One score's IC (`IcSeries.summary`): over every decision, then net of BTC beta, and over
    the periods the benchmark rose and fell."""

    residual_btc: MeanT
    up_market: MeanT
    down_market: MeanT


@dataclass
class IcSeries:
    """One score's IC at each decision, with the market's direction over the next period."""

    values: list[float] = field(default_factory=list)
    residual: list[float] = field(default_factory=list)  # net of BTC beta
    market_up: list[bool] = field(default_factory=list)
    block: list[int] = field(default_factory=list)  # each decision's dataset once pooled

    def append(self, ic: float, residual: float, up: bool) -> None:
        """One decision's IC (known), its IC against beta-neutral returns (maybe NaN) and
        whether the benchmark rose over the period."""
        self.values.append(ic)
        self.residual.append(residual)
        self.market_up.append(up)
        self.block.append(self.block[-1] if self.block else 0)

    @classmethod
    def concat(cls, series: Iterable[IcSeries]) -> IcSeries:
        """The decisions of `series`, one after the other (each its own block for the HAC t)."""
        out = cls()
        for k, s in enumerate(series):
            out.values.extend(s.values)
            out.residual.extend(s.residual)
            out.market_up.extend(s.market_up)
            out.block.extend([k] * len(s.values))
        return out

    def summary(self) -> IcFigures:
        """Mean, t, HAC t and n of the IC, of the IC net of BTC beta (`residual_btc`) and of
        the IC over the periods the benchmark rose and fell."""
        blocks = self.block if len(self.block) == len(self.values) else [0] * len(self.values)
        rows = list(zip(self.values, self.residual, self.market_up, blocks, strict=True))

        def of(kept: list[tuple[float, int]]) -> MeanT:
            return mean_t([v for v, _ in kept], [b for _, b in kept])

        return {
            **of([(v, b) for v, _, _, b in rows]),
            "residual_btc": of([(r, b) for _, r, _, b in rows if not math.isnan(r)]),
            "up_market": of([(v, b) for v, _, u, b in rows if u]),
            "down_market": of([(v, b) for v, _, u, b in rows if not u]),
        }


def t_statistic(values: list[float]) -> float:
    """mean / (sample std / sqrt(n)); NaN under two values or without spread."""
    if len(values) < 2:
        return math.nan
    std = float(np.std(values, ddof=1))
    return float(np.mean(values)) / (std / math.sqrt(len(values))) if std > 0 else math.nan


def mean_t(values: list[float], blocks: list[int] | np.ndarray | None = None) -> MeanT:
    """The mean of a per-decision series (in decision order), its plain t, its Newey-West t
    (`t_hac`, lags floor(4 (n / 100) ^ (2 / 9)), never across two `blocks`) and how many."""
    if not values:
        return {"mean": None, "t": None, "t_hac": None, "n": 0}
    array = np.asarray(values, dtype=float)
    block = None if blocks is None else np.asarray(blocks)
    return {
        "mean": rounded(float(np.mean(array))),
        "t": rounded(t_statistic(values)),
        "t_hac": rounded(hac_t(array, blocks=block)),
        "n": len(values),
    }
