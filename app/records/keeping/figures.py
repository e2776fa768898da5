"""The as-run record's figures: over a window of its hours, each book's return, CAGR,
volatility, Sharpe, max drawdown, turnover and fees (the replay's `strategy_figures` on the
window's equity rebased to 1.0), and equity curves thinned to a bounded number of points."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

import numpy as np

from app.books.simulation.replay_report import StrategyFigures
from app.books.simulation.strategy_figures import strategy_figures

MAX_POINTS = 1000


def window_figures(
    start_ms: int,
    equity: dict[str, np.ndarray],
    turnovers: dict[str, Sequence[float]],
    fees: dict[str, float],
) -> dict[str, dict[str, float | None]]:
    """Every book's figures over one window (`equity`: hourly, the window's own hours; a
    single hour gives a zero return, no volatility or Sharpe)."""
    books: dict[str, dict[str, float | None]] = {}
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


def kept(figures: StrategyFigures) -> dict[str, float | None]:
    """What the record keeps of a book's figures, in this order."""
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


def segments(
    decisions: Sequence[C], last: datetime | None, at: Callable[[C], datetime] | None = None
) -> list[dict[str, Any]]:
    """The spans of one configuration and costs: a change of configuration hash, fee or
    slippage starts a new one (`at`: a decision's time; default its `at`)."""
    time_of = at or (lambda d: d.at)  # type: ignore[attr-defined]
    out: list[dict[str, Any]] = []
    for decision in decisions:
        key = {
            "config_hash": decision.config_hash,
            "fee_bps": decision.fee_bps,
            "slippage_bps": decision.slippage_bps,
        }
        moment = time_of(decision)
        if out and all(out[-1][k] == v for k, v in key.items()):
            out[-1]["decisions"] += 1
            continue
        if out:
            out[-1]["to"] = iso_z(moment)
        out.append({**key, "from": iso_z(moment), "to": iso_z(last or moment), "decisions": 1})
    return out


def iso_z(moment: datetime | None) -> str | None:
    """A UTC moment as the records' documents write it (None stays None)."""
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")
