"""What every strategy sees at one decision time: the stage-1 shortlist, the scorer's inputs as
known then, and the scores of the existing engine."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.policy.shortlist import ListingFact, shortlist
from app.replay.config import HOUR_MS, PolicyConfig
from app.replay.history import MarketHistory, PointInTime
from app.replay.inputs import market_inputs
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

    @property
    def eligible(self) -> list[int]:
        """Symbol indices that passed the gate and were scored, in symbol order."""
        return [i for i in self.rows.tolist() if i in self.composite]

    def turnover_24h(self) -> dict[int, float]:
        return dict(zip(self.rows.tolist(), self.inputs.turnover_24h.tolist(), strict=True))


def listing_facts(view: PointInTime) -> list[ListingFact]:
    """Stage-1 facts of every symbol listed at t (a candle of theirs has closed)."""
    history = view.history
    last_close = view.last_candle_close_ms()
    close = view.candles("close", 24)
    volume = view.candles("volume", 24)
    with np.errstate(invalid="ignore"):
        turnover = np.nansum(close * volume, axis=1)
    facts = []
    for i in np.flatnonzero(~np.isnan(last_close)).tolist():
        settled = view.funding(i, since_ms=view.t_ms - 14 * 24 * HOUR_MS)
        facts.append(
            ListingFact(
                key=i,
                symbol=history.symbols[i],
                eligible=True,
                listed_hours=(view.t_ms - history.first_close_ms_of(i)) / HOUR_MS,
                funding_rate=None if settled is None or not settled.size else float(settled[-1]),
                turnover_24h=float(turnover[i]),
            )
        )
    return facts


def context_at(
    history: MarketHistory, t_ms: int, config: PolicyConfig, members: set[int]
) -> Context:
    view = history.at(t_ms)
    keys = shortlist(
        listing_facts(view),
        members=members,
        benchmark=config.benchmark,
        size=config.shortlist,
        min_listing_days=config.min_listing_days,
        max_abs_funding=config.max_abs_funding,
    )
    rows = np.array(keys, dtype=np.int64)
    inputs = market_inputs(view, rows, candles=config.candles, benchmark=config.benchmark)
    table = compute(inputs, config.scoring)
    composite = {
        int(i): as_stored(float(c))
        for i, c in zip(rows.tolist(), table.composite.tolist(), strict=True)
        if not np.isnan(c)
    }
    return Context(t_ms, view, rows, inputs, table, composite)
