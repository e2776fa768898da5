"""The as-run record's figures: over a window of its hours, each book's return, CAGR,
volatility, Sharpe, max drawdown, turnover and fees (the replay's `strategy_figures` on the
window's equity rebased to 1.0), and equity curves thinned to a bounded number of points."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypedDict, TypeVar

import numpy as np

from app.books.simulation.replay_report import StrategyFigures
from app.books.simulation.strategy_figures import strategy_figures

MAX_POINTS = 1000


class KeptFigures(TypedDict):
    """What the records keep of a book's figures (the API's `LiveFigures`)."""

    total_return: float | None
    cagr: float | None
    volatility: float | None
    sharpe: float | None
    max_drawdown: float | None
    turnover: float | None
    fees: float | None


def window_figures(
    start_ms: int,
    equity: dict[str, np.ndarray],
    turnovers: dict[str, Sequence[float]],
    fees: dict[str, float],
) -> dict[str, KeptFigures]:
    """Every book's figures over one window (`equity`: hourly, the window's own hours; a
    single hour gives a zero return, no volatility or Sharpe)."""
    books: dict[str, KeptFigures] = {}
    for name, curve in equity.items():
        rebased = curve / curve[0]
        figures = strategy_figures(
            rebased,
            start_ms,
            turnovers=list(turnovers.get(name, ())),
            fees=fees.get(name, 0.0),
            funding=math.nan,
            sample_h=24,
        )
        books[name] = kept(figures)
    return books


def kept(figures: StrategyFigures) -> KeptFigures:
    """What the record keeps of a book's figures."""
    return {
        "total_return": figures["total_return"],
        "cagr": figures["cagr"],
        "volatility": figures["volatility"],
        "sharpe": figures["sharpe"],
        "max_drawdown": figures["max_drawdown"],
        "turnover": figures["turnover"],
        "fees": figures["fees"],
    }


def thinned(times_ms: np.ndarray, equity: np.ndarray) -> list[list[float]]:
    """At most `MAX_POINTS` of a curve, evenly spaced, its last point always kept."""
    step = max(1, math.ceil(times_ms.size / MAX_POINTS))
    picks = list(range(0, times_ms.size, step))
    if picks and picks[-1] != times_ms.size - 1:
        picks[-1] = times_ms.size - 1
    return [[int(times_ms[k]), round(float(equity[k]), 10)] for k in picks]


class Costed(Protocol):
    """A decision as segments read it: the configuration and costs it ran under."""

    @property
    def config_hash(self) -> str: ...
    @property
    def fee_bps(self) -> float: ...
    @property
    def slippage_bps(self) -> float: ...


C = TypeVar("C", bound=Costed)


@dataclass(slots=True)
class Span:
    """A span of one configuration and costs (the API's `Segment`)."""

    config_hash: str
    fee_bps: float
    slippage_bps: float
    start: datetime
    end: datetime
    decisions: int

    def runs(self, decision: Costed) -> bool:
        """Whether `decision` ran under this span's configuration and costs."""
        return (self.config_hash, self.fee_bps, self.slippage_bps) == (
            decision.config_hash,
            decision.fee_bps,
            decision.slippage_bps,
        )


def segments(
    decisions: Sequence[C], last: datetime | None, at: Callable[[C], datetime] | None = None
) -> list[Span]:
    """The spans of one configuration and costs: a change of configuration hash, fee or
    slippage starts a new one (`at`: a decision's time; default its `at`)."""
    time_of = at or (lambda d: d.at)  # type: ignore[attr-defined]
    out: list[Span] = []
    for decision in decisions:
        moment = time_of(decision)
        if out and out[-1].runs(decision):
            out[-1].decisions += 1
            continue
        if out:
            out[-1].end = moment
        out.append(
            Span(
                decision.config_hash,
                decision.fee_bps,
                decision.slippage_bps,
                moment,
                last or moment,
                1,
            )
        )
    return out
