"""What portfolio decisions read from stored data: latest scores, depth, aligned returns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.market.candles import last_closed_open_time
from app.market.models import Symbol
from app.market.repository.candles import CandleRepository
from app.platform.core.units import HOUR, HOUR_MIN
from app.platform.runtime.offload import READS, in_worker
from app.platform.runtime.turns import Turns
from app.portfolio.maths.heavy_reads import Closes, log_returns
from app.scoring.models import ScoringRun
from app.scoring.repository import ScoringRepository
from app.scoring.scorers.composite import COMPOSITE

MARKET_STRUCTURE = "market_structure"

T = TypeVar("T")


@dataclass(frozen=True)
class LatestScores:
    run: ScoringRun | None
    composite: dict[int, float]  # symbol id -> composite of the latest run that scored anything
    depth_usdt: dict[int, float]  # symbol id -> depth within the band, from that run

    def age_s(self, now: datetime) -> float | None:
        return None if self.run is None else (now - self.run.started_at).total_seconds()


async def latest_scores(
    session: AsyncSession, symbol_ids: Sequence[int] | None = None
) -> LatestScores:
    """Composites (and depths) of the latest scoring run; empty when none has scored yet."""
    repository = ScoringRepository(session)
    run = await repository.latest_run(with_scores=True)
    if run is None:
        return LatestScores(None, {}, {})
    composite = await repository.component_scores([run.id], COMPOSITE, symbol_ids)
    structure = await repository.component_scores([run.id], MARKET_STRUCTURE, symbol_ids)
    depth = {}
    for symbol_id, row in structure[run.id].items():
        for metric in row.breakdown.get("metrics", []):
            if metric.get("name") == "depth_usdt" and metric.get("raw") is not None:
                depth[symbol_id] = float(metric["raw"])
    return LatestScores(
        run,
        {symbol_id: float(row.score) for symbol_id, row in composite[run.id].items()},
        depth,
    )


# Heavy reads in flight at once in a service process: the reads worker computes one at a time
# anyway, and a second reads its closes meanwhile (app.platform.runtime.turns says why no more).
HEAVY_READS = Turns(2)


async def in_reads_worker(
    session: AsyncSession,
    symbols: Sequence[Symbol],
    hours: int,
    now: datetime,
    compute: Callable[..., T],
    *args: Any,
) -> T:
    """`compute(closes, *args)` in the reads worker, `closes` the stored hourly closes of
    `symbols` on a common grid of `hours + 1` hours ending at the last closed candle (what
    `hours` hourly log returns are computed from), as one of the `HEAVY_READS`."""
    end = last_closed_open_time(now, HOUR)
    start = end - hours * HOUR  # hours + 1 closes give `hours` returns
    ids = tuple(s.id for s in symbols)
    async with HEAVY_READS.taken():
        table = await CandleRepository(session).close_table(ids, HOUR_MIN, start, end)
        closes = Closes(ids, table, int(start.timestamp() * 1000), hours)
        return await in_worker(compute, closes, *args, worker=READS)


async def hourly_log_returns(
    session: AsyncSession, symbols: Sequence[Symbol], hours: int, now: datetime
) -> np.ndarray:
    """`(n, hours)` hourly log returns on a common grid ending at the last closed candle;
    NaN where a candle is missing (never filled) or its close is not a positive number."""
    return await in_reads_worker(session, symbols, hours, now, log_returns)
