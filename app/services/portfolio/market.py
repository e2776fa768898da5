"""What portfolio decisions read from stored data: latest scores, depth, aligned returns."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.units import HOUR, HOUR_MIN
from app.db.models import ScoringRun, Symbol
from app.db.repositories.candles import CandleRepository
from app.db.repositories.scoring import COMPOSITE, ScoringRepository
from app.services.market.candles import last_closed_open_time

MARKET_STRUCTURE = "market_structure"


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


async def hourly_log_returns(
    session: AsyncSession, symbols: Sequence[Symbol], hours: int, now: datetime
) -> np.ndarray:
    """`(n, hours)` hourly log returns on a common grid ending at the last closed candle;
    NaN where a candle is missing (never filled) or its close is not a positive number."""
    end = last_closed_open_time(now, HOUR)
    start = end - hours * HOUR  # hours + 1 closes give `hours` returns
    rows = await CandleRepository(session).closes([s.id for s in symbols], HOUR_MIN, start, end)
    ids = [s.id for s in symbols]
    # A Python pass over up to members x hours rows, then numpy: off the event loop.
    return await asyncio.to_thread(_log_returns, ids, rows, start, hours)


def _log_returns(
    ids: list[int], rows: Sequence[tuple[int, datetime, float]], start: datetime, hours: int
) -> np.ndarray:
    positions: dict[int, list[int]] = {}  # a symbol may be asked for twice (e.g. benchmark)
    for i, symbol_id in enumerate(ids):
        positions.setdefault(symbol_id, []).append(i)
    closes = np.full((len(ids), hours + 1), np.nan)
    for symbol_id, open_time, close in rows:
        column = int((open_time - start) / HOUR)
        if 0 <= column <= hours:
            closes[positions[symbol_id], column] = close
    closes[~(closes > 0) | ~np.isfinite(closes)] = np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.diff(np.log(closes), axis=1)
