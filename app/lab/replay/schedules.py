"""A run's books as traded and judged: at one execution lag (`Judging`), at one set of costs
(`Schedule`, a `Variant` of the run's own), and the figures they come to (`BookRun`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from app.books.simulation.baselines import NULLS, STRATEGIES, null_names
from app.books.simulation.coefficients import InformationCoefficients, ic_summary
from app.books.simulation.replay_params import ReplayParams
from app.books.simulation.replay_report import (
    DecisionEntry,
    DecisionExit,
    IcSection,
    RunSections,
    StrategyFigures,
)
from app.books.simulation.selection_record import SelectionRecorder
from app.books.simulation.selection_skill import SelectionSeries
from app.books.simulation.strategy_figures import strategy_figures
from app.lab.replay.simulate import Books
from app.stats.ic import IcFigures, IcSeries


@dataclass(frozen=True)
class Variant:
    """Books that differ from a run's own only in costs or execution lag (None: the run's):
    the same decisions traded and judged again, a track of the same run."""

    name: str
    execution_lag_h: int | None = None
    slippage_bps: float | None = None

    def params(self, base: ReplayParams) -> ReplayParams:
        lag, slippage = self.execution_lag_h, self.slippage_bps
        return replace(
            base,
            execution_lag_h=base.execution_lag_h if lag is None else lag,
            slippage_bps=base.slippage_bps if slippage is None else slippage,
        )


@dataclass(frozen=True)
class Judging:
    """What one execution lag judges: where each decision trades (then the valuation end),
    every track's information coefficients and the selection series."""

    entries: list[int]
    ics: dict[str, InformationCoefficients]  # by track, in track order
    selection: SelectionRecorder

    @cached_property
    def ic_series(self) -> dict[str, dict[str, IcSeries]]:
        """Each track's ICs by score, once for every schedule judged at this lag (read after
        the last decision)."""
        return {name: ic.series() for name, ic in self.ics.items()}

    @cached_property
    def ic_of(self) -> dict[str, IcSection[IcFigures]]:
        """Each track's `ic` section."""
        return {name: ic_summary(scores) for name, scores in self.ic_series.items()}


@dataclass(frozen=True)
class Schedule:
    """One set of books (every track, baseline and random draw; a variant's: the tracks') traded
    at `params`' costs at its judging's entries."""

    name: str
    params: ReplayParams
    judging: Judging
    books: Books

    def finish(self, tracks: list[str], named: tuple[str, ...], times: list[int]) -> BookRun:
        """The figures of these books, the `tracks` named first (no decisions or exits: those
        are the run's)."""
        tracks_only = self.books.size == len(tracks)
        nulls = [] if tracks_only else null_names(tracks)
        named = named[: len(tracks)] if tracks_only else named
        rows = _rows(self.books, named, nulls)
        entries = self.judging.entries
        order = (*tracks, *STRATEGIES[1:], *nulls[len(NULLS) :])
        order = order[: len(tracks)] if tracks_only else order
        sample_h = min(self.params.every_h, 24)
        strategies = {
            name: strategy_figures(
                rows[name].equity,
                entries[0],
                turnovers=rows[name].turnovers.tolist(),
                fees=rows[name].fees,
                funding=rows[name].funding,
                sample_h=sample_h,
            )
            for name in order
        }
        ic_series, ic_of = self.judging.ic_series, self.judging.ic_of
        books_of = {name: rows[name] for name in order}
        series = self.judging.selection.series(
            {name: row.equity for name, row in books_of.items()},
            times,
            entries,
            self.params.cost_rate,
        ).with_draws(_draws(self.books, named, nulls), entries)
        return BookRun(strategies, ic_of[tracks[0]], [], books_of, ic_of, [], series, ic_series)


@dataclass(frozen=True)
class BookRow:
    """One strategy's book over a run."""

    equity: np.ndarray  # hourly, from the first decision
    turnovers: np.ndarray  # per decision
    fees: float
    funding: float


@dataclass(frozen=True)
class BookRun:
    strategies: dict[str, StrategyFigures]  # figures by strategy
    ic: IcSection[IcFigures]
    decisions: list[DecisionEntry]
    books: dict[str, BookRow]
    ic_of: dict[str, IcSection[IcFigures]]  # every track's ICs (`ic`: the first's)
    exits: list[DecisionExit]  # the first track's exits, each with its decision time `at`
    selection: SelectionSeries  # per decision, for the report's `selection` (and for pooling)
    ic_series: dict[str, dict[str, IcSeries]]  # per track, each score's ICs (for pooling)
    variants: dict[str, BookRun] = field(default_factory=dict)  # by `Variant.name`

    def document(self) -> RunSections:
        """The report's `strategies`, `ic`, `decisions`, `exits` and `selection`."""
        return {
            "strategies": self.strategies,
            "ic": self.ic,
            "decisions": self.decisions,
            "exits": self.exits,
            "selection": self.selection.summary(),
        }


def _draws(books: Books, named: tuple[str, ...], nulls: list[str]) -> dict[str, np.ndarray]:
    """Each null's random draws' hourly equity (the rows after the named books, `nulls` in
    order: `baselines.null_names`)."""
    if not nulls:
        return {}
    equity, per = books.equity_curves(), (books.size - len(named)) // len(nulls)
    first = len(named)
    return {name: equity[first + k * per : first + (k + 1) * per] for k, name in enumerate(nulls)}


def _rows(books: Books, named: tuple[str, ...], nulls: list[str]) -> dict[str, BookRow]:
    """Each named book, and the mean of each null's random books under its name."""
    equity, turnovers = books.equity_curves(), books.turnover_table()
    rows = {
        name: BookRow(equity[k], turnovers[k], float(books.fees[k]), float(books.funding[k]))
        for k, name in enumerate(named)
    }
    per = (books.size - len(named)) // max(len(nulls), 1)
    for k, name in enumerate(nulls):
        draws = slice(len(named) + k * per, len(named) + (k + 1) * per)
        rows[name] = BookRow(
            np.mean(equity[draws], axis=0),
            np.mean(turnovers[draws], axis=0),
            float(np.mean(books.fees[draws])),
            float(np.mean(books.funding[draws])),
        )
    return rows
