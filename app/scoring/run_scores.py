"""What a scoring run does in the worker process (`app.platform.runtime.offload`): assemble the
inputs over the run's candle rows, score them, and build the rows the run stores. Pure, and
picklable."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypedDict

import numpy as np

from app.scoring.run_config import RunConfig
from app.scoring.scorers import portable
from app.scoring.scorers.assemble import SymbolValues, assemble
from app.scoring.scorers.composite import (
    COMPOSITE,
    ScoringOutcome,
    SymbolScore,
    as_stored,
    score_universe,
)


class ScoreRow(TypedDict):
    """A `symbol_score` row to insert: a symbol's composite or one component's score."""

    run_id: int
    symbol_id: int
    component: str
    score: Decimal
    confidence: Decimal
    breakdown: dict[str, Any]  # stored JSON: the component scores and weights, or the metrics


# The worker makes the score rows before the run is recorded (its scoring holds no lock); they
# carry this id until the service gives them the run's.
RUN_NOT_YET_RECORDED = 0


@dataclass(frozen=True)
class CandleGrid:
    """A run's candle rows (symbol id, open ms, open, high, low, close, volume), one table."""

    rows: np.ndarray
    symbol_ids: dict[str, int]
    end_ms: int
    length: int


@dataclass(frozen=True)
class RunScores:
    """What a run keeps of its scoring: the rows it stores, how many symbols were scored, and
    why each of the others was not (symbol -> reason code)."""

    rows: list[ScoreRow]
    scored: int
    excluded: dict[str, str]


def score_candles(
    state: portable.ScorerState,
    values: list[SymbolValues],
    grid: CandleGrid,
    config: RunConfig,
) -> ScoringOutcome:
    """The scores of `values` over `grid`: in the worker."""
    positions = {grid.symbol_ids[v.symbol]: i for i, v in enumerate(values)}
    candles = grid.rows.copy()
    candles[:, 0] = [positions.get(int(symbol_id), -1) for symbol_id in candles[:, 0]]
    market = assemble(values, candles, grid.end_ms, grid.length, benchmark=config.benchmark)
    with portable.adopted(state):
        return score_universe(market, config.scoring())


def score_run(
    state: portable.ScorerState,
    values: list[SymbolValues],
    grid: CandleGrid,
    config: RunConfig,
) -> RunScores:
    """`score_candles`, with only what the run keeps sent back: its metrics travel once, as
    the rows' JSON, and the service does not hold the outcome's objects beside them (some
    30 000 small objects at the run's high-water mark, `tests/bench/bench_run_peak.py`)."""
    outcome = score_candles(state, values, grid, config)
    rows = [
        row
        for score in outcome.scores
        for row in _score_rows(RUN_NOT_YET_RECORDED, grid.symbol_ids, score, config)
    ]
    return RunScores(rows, len(outcome.scores), outcome.excluded)


def _score_rows(
    run_id: int, ids: dict[str, int], score: SymbolScore, config: RunConfig
) -> list[ScoreRow]:
    symbol_id = ids[score.symbol]
    confidence = Decimal(str(round(score.confidence, 4)))
    rows: list[ScoreRow] = [
        {
            "run_id": run_id,
            "symbol_id": symbol_id,
            "component": COMPOSITE,
            "score": _percent(score.composite),
            "confidence": confidence,
            "breakdown": {
                "components": {name: part.score for name, part in score.components.items()},
                "weights": config.weights,
            },
        }
    ]
    for name, part in score.components.items():
        if part.score is None:
            continue
        rows.append(
            {
                "run_id": run_id,
                "symbol_id": symbol_id,
                "component": name,
                "score": _percent(part.score),
                "confidence": confidence,
                "breakdown": {"metrics": [m.to_json() for m in part.metrics]},
            }
        )
    return rows


def _percent(value: float) -> Decimal:
    return Decimal(str(as_stored(value)))
