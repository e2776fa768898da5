"""What the replacement rule (`app.portfolio.policy.replacement_rule`) is given, and which of
its runs the hysteresis reads: the members, the outsiders, each scoring run's composites and the
return correlations (`MemberFact`, `OutsiderFact`, `RunScores`, `CorrelationTable`); an
outsider's lead over a member in one run (`Confirmation`); the runs a lead must hold over.

The hysteresis is counted in hours, not runs, so that every cadence runs the same policy: the
streak starts at the newest run and must include a run scored at least `confirmation_hours`
before it (0 h: the newest run alone). Live, scoring every 15 minutes, 24 h is the newest run
and the ~96 before it; a replay deciding every 1 h reads 25 decisions, every 24 h 2. A cadence
that does not divide the hours rounds up: ceil(hours / every) + 1 decisions (36 h at 24 h: 3,
i.e. 48 h). A run's time is when it scored (a scoring run's start, a replay's decision time);
runs start a little after their schedule, so one within `SLACK_MS` of the boundary counts as on
it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from app.platform.core.units import HOUR_MS

SLACK_MS = 300_000  # a run 5 minutes late on its schedule still spans the hours


@dataclass(frozen=True)
class MemberFact:
    id: int
    symbol: str
    seat: int  # the portfolio's own order (ties go to the later seat)
    held_hours: float


@dataclass(frozen=True)
class OutsiderFact:
    id: int
    symbol: str


@dataclass(frozen=True)
class RunScores:
    """One scoring run's composites by symbol id, and when it scored (ms since the epoch)."""

    run_id: int
    composite: Mapping[int, float]
    at_ms: int


@dataclass(frozen=True)
class CorrelationTable:
    """Pairwise return correlations of the symbols `ids` (NaN where unknown)."""

    ids: Sequence[int]
    matrix: np.ndarray
    _index: dict[int, int] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._index.update({i: k for k, i in enumerate(self.ids)})

    def of(self, symbol_id: int, others: Sequence[int]) -> np.ndarray:
        index = self._index
        return self.matrix[index[symbol_id], [index[o] for o in others]]


@dataclass(frozen=True)
class Confirmation:
    run_id: int
    member_score: float | None
    outsider_score: float | None
    lead: float | None


def confirmation_window(runs: Sequence[RunScores], hours: float) -> int | None:
    """How many of `runs` (newest first) the hysteresis reads: through the first one scored at
    least `hours` before the newest (None when none is that old yet)."""
    if not runs:
        return None
    boundary = runs[0].at_ms - confirmation_span_ms(hours)
    for k, run in enumerate(runs):
        if run.at_ms <= boundary:
            return k + 1
    return None


def confirmation_span_ms(hours: float) -> int:
    """How long before the newest run the one that ends the hysteresis' streak may start at the
    latest (`confirmation_window`'s boundary)."""
    return round(hours * HOUR_MS) - SLACK_MS


def decisions_needed(hours: float, every_h: float) -> int:
    """Decisions a replay every `every_h` hours reads to span `hours`: ceil(hours / every) + 1
    (it rounds up when `every_h` does not divide `hours`)."""
    return math.ceil(round(hours / every_h, 9)) + 1


def lead_streak(leads: Sequence[float | None], margin: float) -> int:
    """How many consecutive runs, newest first, an outsider led by at least `margin` points
    (`leads[i]` is its lead in the i-th newest run; None where either was unscored)."""
    streak = 0
    for lead in leads:
        if lead is None or lead < margin:
            break
        streak += 1
    return streak
