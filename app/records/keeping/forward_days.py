"""The forward record's daily judgement of its scoring books (`app.records.keeping.forward`): what
a day's decision keeps until the end of its period, its figures packed exactly for JSON
(`packed`), and each book then judged as the replay's selection record judges it, its return and
its composite's skill IC with universe-beta-residual returns over the period (`judged`,
`DayJudged`)."""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.stats.rank import spearman


@dataclass(frozen=True)
class DayJudged:
    """One daily decision of one scoring book, judged at the end of its period."""

    book: str
    decided_ms: int
    entry_ms: int
    following_ms: int
    book_return: float
    skill_ic: float  # NaN: not measurable (too few symbols known at both ends)
    universe_return: float
    config_hash: str


def packed(values: np.ndarray) -> str:
    """Floats as base64 of their little-endian doubles (exact, NaN included)."""
    return base64.b64encode(np.asarray(values, dtype="<f8").tobytes()).decode("ascii")


def _array(stored: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(stored), dtype="<f8").astype(float)


def judged(
    day: Mapping[str, Any], closes: Mapping[str, float], equity: Mapping[str, float]
) -> list[DayJudged]:
    """The day's books judged over entry -> following (the replay's `SelectionRecorder.add`
    and `book_returns` on the same numbers)."""
    start = day["entry_closes"]

    def forward(symbols: Sequence[str]) -> np.ndarray:
        return np.array(
            [closes.get(s, math.nan) / start.get(s, math.nan) - 1.0 for s in symbols], dtype=float
        )

    universe = forward(day["universe"])
    known = universe[np.isfinite(universe)]
    market = float(known.mean()) if known.size else math.nan
    out = []
    for book, scored in day["books"].items():
        raw = forward(scored["symbols"])
        residual = raw - _array(scored["beta"]) * market
        entry_equity = day["entry_equity"].get(book)
        book_return = (
            equity[book] / entry_equity - 1.0
            if entry_equity is not None and book in equity
            else math.nan
        )
        out.append(
            DayJudged(
                book,
                int(day["decided"]),
                int(day["entry"]),
                int(day["following"]),
                book_return,
                spearman(_array(scored["composite"]), residual),
                market,
                str(scored["config_hash"]),
            )
        )
    return out
