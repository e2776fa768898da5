"""The replay report's shape, section by section: what `run.replay` writes (`ReplayReport`) and
what several datasets' runs write together (`SeveralReport`, `app.lab.replay.pooled`).

TypedDicts, so the report stays the plain dicts (and the JSON) it always was; a value read back
from a JSON column is cast to one of these once, where it is read. Figures a report keeps
rounded are `float | None` (None: undefined, `app.stats.rounding.rounded`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Generic, Literal, NotRequired, TypedDict, TypeVar, cast

from app.stats.ic import IcFigures, MeanT
from app.stats.nulls import NullDistribution
from app.stats.skill import Outcome, Regression

# --- figures shared by every section (a mean and its t, an IC: `MeanT`, `IcFigures` of
# `app.stats.ic`)


class PooledIcFigures(IcFigures):
    """One score's IC over every dataset's decisions, with each dataset's alone."""

    per_dataset: dict[str, MeanT]


F = TypeVar("F", bound=IcFigures)


class IcSection(TypedDict, Generic[F]):
    """The `ic` section: the composite, the built-in components, then the metrics by name. A
    plug-in component, once scored, is one more key of the same shape after the built-ins,
    which a TypedDict cannot name: `score_figures` reads any score by name."""

    composite: F
    technical: F
    fundamental: F
    market_structure: F
    risk: F
    metrics: dict[str, F]


def score_figures(section: IcSection[F], name: str) -> F | None:
    """The figures of score `name` (the composite or a component, plug-ins included) in an
    `ic` section; None when it has none."""
    if name == "metrics":
        return None
    return cast("Mapping[str, F]", section).get(name)  # every key but `metrics` is a score


_Window = TypedDict("_Window", {"from": str, "to": str})  # `from` is a keyword: no class syntax


class Window(_Window):
    """A range of time, ISO 8601 UTC."""


# --- `data`


class Hysteresis(TypedDict):
    """The replacement hysteresis at the replay's cadence (`run.hysteresis_section`)."""

    confirmation_hours: float
    decisions: int
    spans_h: int
    rounded_up: bool


class MarketDataSection(TypedDict):
    """Where a history read from the database got its candles
    (`app.market.contracts.data_source`)."""

    sources: list[str]
    simulated: bool
    note: str


class DataSection(Window):
    """The report's `data`: the history, the decisions and where they trade (`from` and `to`:
    the first decision and the range's end); `hysteresis` when the policy was given."""

    symbols: int
    decisions: int
    execution_lag_h: int
    valued_to: str
    funding: Literal["known", "unknown"]
    source: str
    market_data: NotRequired[MarketDataSection]
    hysteresis: NotRequired[Hysteresis]


# --- `strategies`


class StrategySummary(TypedDict):
    """One strategy's figures from its equity (`evidence.strategy_figures`), as fractions."""

    total_return: float | None
    cagr: float | None
    volatility: float | None
    sharpe: float | None
    sortino: float | None
    calmar: float | None
    max_drawdown: float | None
    turnover: float | None
    """Mean sum of |weight change| per decision."""
    fees: float | None
    funding: float | None


class StrategyFigures(StrategySummary):
    """`StrategySummary` with the equity curve, as the report keeps each strategy."""

    equity: list[list[float]]  # [time (ms), equity], sampled


# --- `decisions` and `exits`


class Swap(TypedDict):
    """A replacement the hysteresis recommended: executed (`replaced`) or `blocked`."""

    member: str
    outsider: str | None
    lead: float | None
    reasons: list[str]
    blocking: list[str]


class Exit(TypedDict):
    """A member that left without waiting, and the outsider taking its rank (None: dropped)."""

    member: str
    outsider: str | None
    reason: str


class DecisionExit(Exit):
    """An exit as the report's `exits` lists it, with its decision time."""

    at: str


class DecisionEntry(TypedDict):
    """A decision as the report lists it: made `at`, traded (or held) from `traded_at`."""

    at: str
    traded_at: str
    members: list[str]  # by rank
    weights: dict[str, float]  # percent
    replaced: list[Swap]
    blocked: list[Swap]
    added: list[str]
    exits: list[Exit]
    traded: bool


# --- `selection`


class Universe(TypedDict):
    """The equal-weight universe's return per period."""

    n: int
    mean: float | None
    annualised: float | None
    periods_per_year: float | None


class DatasetAlpha(TypedDict):
    """The part of a `Regression` kept per dataset of the selection's series."""

    n: int
    alpha: float | None
    alpha_annualised: float | None
    alpha_t: float | None
    alpha_t_hac: float | None
    beta: float | None


class RawAndResidual(TypedDict):
    """A figure against raw and against universe-beta-residual returns."""

    raw: MeanT
    residual_universe: MeanT


class RankingSummary(TypedDict):
    """One track's composite ICs and decile spreads, its components' and metrics' ICs."""

    ic: RawAndResidual
    decile_spread: RawAndResidual
    components: dict[str, MeanT]
    metrics: dict[str, MeanT]


class Replacements(TypedDict):
    """The first track's executed and blocked swaps, by horizon (`1d`, `7d`, `30d`)."""

    swap_cost: float | None
    executed: dict[str, Outcome]
    blocked: dict[str, Outcome]


class SelectionDataset(TypedDict):
    """Alpha and IC on one dataset of the selection's series."""

    source: str
    decisions: int
    strategies: dict[str, DatasetAlpha]
    ic: dict[str, RawAndResidual]


class SelectionSummary(TypedDict):
    """The report's `selection` (`SelectionSeries.summary`)."""

    universe: Universe
    strategies: dict[str, Regression]
    ranking: dict[str, RankingSummary]
    replacements: Replacements
    random: dict[str, NullDistribution]
    datasets: list[SelectionDataset]


# --- the reports


class RunSections(TypedDict):
    """What a book run writes (`BookRun.document`)."""

    strategies: dict[str, StrategyFigures]
    ic: IcSection[IcFigures]
    decisions: list[DecisionEntry]
    exits: list[DecisionExit]
    selection: SelectionSummary


class ReplayReport(RunSections):
    """A replay's report (`run.replay`); a calibration's has these keys and more."""

    config_hash: str
    data: DataSection


class PooledDataset(TypedDict):
    """One dataset's size in the pooled `data`."""

    decisions: int
    symbols: int


class PooledData(TypedDict):
    """The pooled `data`: the datasets, their decisions, and each one's."""

    datasets: int
    decisions: int
    per_dataset: dict[str, PooledDataset]


class PooledReport(TypedDict):
    """The pooled figures of several datasets (`pooled.several`); `ic_default` for a
    calibration."""

    ic: IcSection[PooledIcFigures]
    ic_default: NotRequired[IcSection[PooledIcFigures]]
    selection: SelectionSummary
    data: PooledData


class SeveralReport(TypedDict):
    """The report of several datasets: each one's report as a run on it alone writes it (a
    replay's or a calibration's), and the pooled figures."""

    datasets: dict[str, ReplayReport]
    pooled: PooledReport
