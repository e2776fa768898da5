"""What every strategy sees at one decision time: the stage-1 shortlist, the scorer's inputs as
known then, and the scores of the existing engine."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from app.policy.shortlist import ListingFact, shortlist
from app.replay.config import HOUR_MS, PolicyConfig
from app.replay.history import MarketHistory, PointInTime, SettledFunding
from app.replay.inputs import market_inputs, settled_funding
from app.scoring.engine import ScoreTable, as_stored, compute
from app.scoring.inputs import MarketInputs


@dataclass(frozen=True)
class Context:
    t_ms: int
    view: PointInTime
    rows: np.ndarray  # symbol indices of the shortlist, in symbol order
    inputs: MarketInputs  # of `rows`
    table: ScoreTable  # of `rows`
    composite: dict[int, float]  # symbol index -> composite as a run stores it (scored only)
    eligible: list[int]  # symbol indices that passed the gate and were scored, in symbol order
    positions: dict[int, int]  # symbol index -> its row in `rows`, `inputs` and `table`

    def turnover_24h(self) -> dict[int, float]:
        return dict(zip(self.rows.tolist(), self.inputs.turnover_24h.tolist(), strict=True))


def listing_facts(view: PointInTime, funding: SettledFunding) -> list[ListingFact]:
    """Stage-1 facts of every symbol listed at t (a candle of theirs has closed); `funding`
    is `settled_funding(view)`."""
    history = view.history
    listed = np.flatnonzero(~np.isnan(view.last_candle_close_ms()))
    close = view.candles("close", 24)
    volume = view.candles("volume", 24)
    with np.errstate(invalid="ignore"):
        turnover = np.nansum(close * volume, axis=1)
    first_close = history.first_close_ms_each()
    return [
        ListingFact(
            key=i,
            symbol=history.symbols[i],
            eligible=True,
            listed_hours=(view.t_ms - first) / HOUR_MS,
            funding_rate=rate if count else None,
            turnover_24h=volume_24h,
        )
        for i, first, count, rate, volume_24h in zip(
            listed.tolist(),
            first_close[listed].tolist(),
            funding.count[listed].tolist(),
            funding.latest[listed].tolist(),
            turnover[listed].tolist(),
            strict=True,
        )
    ]


def context_at(
    history: MarketHistory, t_ms: int, config: PolicyConfig, members: set[int]
) -> Context:
    """What the strategies see at `t_ms`, with `members` (symbol indices) the policy's
    portfolio (always shortlisted)."""
    view = history.at(t_ms)
    funding = settled_funding(view)
    keys = shortlist(
        listing_facts(view, funding),
        members=members,
        benchmark=config.benchmark,
        size=config.shortlist,
        min_listing_days=config.min_listing_days,
        max_abs_funding=config.max_abs_funding,
    )
    rows = np.array(keys, dtype=np.int64)
    inputs = market_inputs(
        view, rows, candles=config.candles, benchmark=config.benchmark, funding=funding
    )
    table = compute(inputs, config.scoring)
    keys = rows.tolist()
    composite = {
        i: as_stored(c)
        for i, c in zip(keys, table.composite.tolist(), strict=True)
        if not math.isnan(c)
    }
    eligible = [i for i in keys if i in composite]
    positions = {i: k for k, i in enumerate(keys)}
    return Context(t_ms, view, rows, inputs, table, composite, eligible, positions)
