"""The calibration report's and the judge report's shapes, section by section: what
`run.calibrate` writes (`CalibrationReport`: the replay's report and more) and what `judge`
writes (`JudgeReport`: `app.lab.calibration.judging`'s figures, put together by `app.cli.judge`).

TypedDicts, so the reports stay the plain dicts (and the JSON) they always were. The echoes of a
configuration (a fold's `chosen` overrides, the search `space`) and the learned model's
description stay `dict[str, Any]`: free-form documents, stored as given and never read back by
key."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

from app.books.simulation.replay_report import (
    DataSection,
    IcSection,
    RawAndResidual,
    ReplayReport,
    SelectionSummary,
    Window,
)
from app.stats.ic import IcFigures, MeanT
from app.stats.skill import PairedRegression

# --- the calibration report


class CalibrationVerdict(TypedDict):
    """Out of sample, after costs, by Sharpe: the default and the calibrated policy against the
    best baseline (`run.verdict`)."""

    measure: str
    best_baseline: str
    best_baseline_sharpe: float | None
    default_sharpe: float | None
    """The configuration in force."""
    calibrated_sharpe: float | None
    """Re-chosen on each training window."""
    default_beats_every_baseline: bool
    calibrated_beats_every_baseline: bool
    calibrated_beats_default: bool


class InSampleMeans(TypedDict):
    """One strategy's training-window figures, averaged over the folds."""

    sharpe: float | None
    total_return: float | None
    turnover: float | None


class CalibrationSection(TypedDict):
    """The report's `calibration`: how it was run and what it saw in sample."""

    train_days: float
    test_days: float
    every_h: int
    objective: str
    space: dict[str, Any]  # the search space's echo (`SearchSpace.to_json`)
    learned: bool
    learned_series: str | None
    in_sample: dict[str, InSampleMeans]
    in_sample_ic: MeanT


class WindowFigures(TypedDict):
    """A book's figures over one window of its run (`run.window_figures`)."""

    total_return: float | None
    sharpe: float | None
    max_drawdown: float | None
    turnover: float | None


class InSampleFigures(WindowFigures):
    """A book's figures over a fold's training window, with its fees."""

    fees: float


class FoldReport(TypedDict):
    """One fold: its windows, its choice and its figures in and out of sample."""

    index: int
    train: Window
    test: Window
    chosen: dict[str, Any]  # the choice as configuration overrides (`Choice.overrides`)
    trials: int
    metric_ic: dict[str, MeanT]  # "component.metric": its IC on the training window
    in_sample: dict[str, InSampleFigures]
    in_sample_policy: dict[str, float | None]  # `evaluate.Outcome.to_json`
    out_of_sample: dict[str, WindowFigures]
    learned_model: NotRequired[dict[str, Any]]  # `LearnedModel.describe`, with `--learned`


class CalibrationReport(ReplayReport):
    """A walk-forward calibration's report (`run.calibrate`): the out-of-sample run's, with the
    default configuration's ICs, the verdict, the calibration and its folds."""

    ic_default: IcSection[IcFigures]
    verdict: CalibrationVerdict
    calibration: CalibrationSection
    folds: list[FoldReport]


# --- the judge report


class ScoreIc(TypedDict):
    """A component's or a metric's IC: with raw returns (all its figures) and with
    universe-beta-residual ones."""

    raw: IcFigures
    residual_universe: MeanT


class TrackFigures(TypedDict):
    """A track's book after costs, its alpha and its composite's IC, as both a candidate's
    figures and its sensitivity's give them."""

    total_return: float | None
    sharpe: float | None
    max_drawdown: float | None
    turnover: float | None
    fees: float | None
    alpha_annualised: float | None
    alpha_t_hac: float | None
    ic_raw: MeanT
    ic_residual_universe: MeanT


class CandidateFigures(TrackFigures):
    """One candidate on one history (`judge.candidate_figures`), over whole decision periods."""

    config_hash: str
    alpha_t: float | None
    beta: float | None
    information_ratio: float | None
    paired_vs_default: PairedRegression | None
    among_random: dict[str, dict[str, float | None]]  # per null, its percentile by figure
    components: dict[str, ScoreIc]


class VariantFigures(TrackFigures):
    """One track's figures at one lag or slippage level (`sensitivity.figures`)."""

    decile_spread_raw: MeanT


class Sensitivity(TypedDict):
    """A candidate's figures by execution lag and by slippage (bps), keyed as text."""

    lags: dict[str, VariantFigures]
    slippage_bps: dict[str, VariantFigures]


class PairedAlpha(TypedDict):
    """A candidate's alpha lead over the default on one dataset, as the adoption rule reads it."""

    lead_annualised: float | None
    se_hac_annualised: float | None
    t_hac: float | None
    decisions: int
    counts: bool
    vetoes: bool


class JudgeVerdict(TypedDict):
    """The adoption rule's verdict on one candidate."""

    qualifies: bool
    ic_lead: float | None
    ic_lead_se: float | None
    ic_lead_se_hac: float | None
    decisions: int
    paired_alpha: dict[str, PairedAlpha]
    reasons: list[str]


class CandidateReport(TypedDict):
    """One candidate of the family: what it is, its figures pooled and per dataset, its
    sensitivity and its verdict (None for the default)."""

    label: str
    weights: dict[str, float]
    technical_version: int
    seen: bool
    pooled: RawAndResidual
    datasets: dict[str, CandidateFigures]
    sensitivity: dict[str, Sensitivity | None]  # None: not judged at other costs and lags
    verdict: JudgeVerdict | None


class JudgedData(DataSection):
    """A judged dataset's `data`, with its first training window, what its sample is
    conditioned on and whether it can veto."""

    training_days: int
    sample: str | None
    vetoes: bool


class MetricTables(TypedDict):
    """Each metric's ICs by technical version."""

    v1: dict[str, ScoreIc]
    v2: dict[str, ScoreIc]


class JudgeReport(TypedDict):
    """`judge`'s report."""

    datasets: dict[str, JudgedData]
    candidates: dict[str, CandidateReport]
    adopted: str | None
    selection: SelectionSummary
    metrics: dict[str, MetricTables]
