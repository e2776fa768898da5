"""The lab's contracts: a replay requested over the service's own history and the runs it
produces; the walk-forward evidence of the configuration in force, and the replay a scoring
change is judged by."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    ValidationInfo,
    computed_field,
    field_validator,
    model_validator,
)

from app.books.replay_config import override_problems
from app.books.simulation.replay_report import StrategySummary
from app.lab.calibration.calibration_report import CalibrationVerdict
from app.market.schemas import MarketDataRead, market_data_of
from app.platform.core.patterns import worded
from app.platform.schemas.bounds import MAX_OVERRIDE_SECTIONS, at_most
from app.platform.schemas.common import IsoDateTime, RequestBody
from app.platform.schemas.recorded import recorded_example
from app.platform.schemas.shapes import api_shape
from app.scoring.schemas import AlgorithmRead, parameter_errors
from app.scoring.scorers.shortlist import MAX_PORTFOLIO_SYMBOLS as _MEMBERS

EVERY_PATTERN = worded(
    r"^[1-9][0-9]{0,3}[hd]$",
    "must be a whole number of hours or days from 1 to 9999, as 1h, 4h, 24h or 7d",
)


class ReplayCreate(RequestBody):
    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        json_schema_extra={
            "examples": [
                {
                    "from": "2026-10-01T00:00:00Z",
                    "to": "2026-11-01T00:00:00Z",
                    "every": "24h",
                    "top": 10,
                    "fee_bps": 6,
                }
            ]
        },
    )

    start: IsoDateTime = Field(alias="from", description="First decision (a whole UTC hour).")
    end: IsoDateTime = Field(alias="to", description="End of the valuation (a whole hour).")
    every: str = Field(default="24h", pattern=EVERY_PATTERN, description="1h, 4h, 24h, 7d, ...")
    top: int | None = Field(
        default=None,
        ge=int(_MEMBERS.minimum or 1),
        le=int(_MEMBERS.maximum or 1),
        description="Members (default: the runtime setting max_portfolio_symbols, whose bounds "
        "it keeps).",
    )
    fee_bps: float = Field(default=6.0, ge=0, le=1000)
    slippage_bps: float = Field(default=0.0, ge=0, le=1000)
    execution_lag_h: int = Field(
        default=1,
        ge=0,
        le=24,
        description="Hours from a decision to its trade: a decision at t (scored on the candle "
        "closing at t) trades at the close of t + lag, and is judged from there.",
    )
    overrides: Annotated[dict[str, Any], *at_most(MAX_OVERRIDE_SECTIONS)] | None = Field(
        default=None,
        description='Scoring and policy overrides: {"scoring": {"weights": {...}, '
        '"parameters": {...}, "gate": {...}}, "policy": {"replacement_margin": 8, ...}}. '
        "Weights are 0..1; each component's parameters lie within the `parameters_schema` "
        "`GET /scoring/algorithms` shows for it; gate and policy values within their runtime "
        "settings' bounds (`GET /config`).",
    )

    @model_validator(mode="wrap")
    @classmethod
    def scoring_overrides_within_bounds(
        cls, data: Any, handler: ModelWrapValidatorHandler[ReplayCreate]
    ) -> ReplayCreate:
        request = handler(data)
        problems = override_problems(request.overrides or {})
        if problems:
            raise parameter_errors(cls.__name__, problems, ("overrides",))
        return request

    # Field validators, not one of the model: a refusal names `from` or `to`, not the body.
    @field_validator("start", "end")
    @classmethod
    def whole_hour(cls, moment: datetime) -> datetime:
        """A replay decides on whole hours."""
        if moment.minute or moment.second or moment.microsecond:
            raise ValueError("must be a whole hour")
        return moment

    @field_validator("end")
    @classmethod
    def after_start(cls, end: datetime, info: ValidationInfo) -> datetime:
        """`to` after `from` (when `from` itself is valid)."""
        start = info.data.get("start")
        if start is not None and end <= start:
            raise ValueError("must be after from")
        return end


class ReplaySummary(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra=recorded_example("ReplaySummary")
    )

    id: int
    kind: Literal["replay", "calibration", "what_if"] = Field(
        description="A replay, a walk-forward calibration (the evidence), or the replay judging "
        "a proposed scoring change beside the one in force (`PUT /scoring/algorithms?dry_run`)."
    )
    status: Literal["queued", "running", "succeeded", "failed", "aborted", "cancelled"]
    progress: float = Field(description="Share of the decisions done, 0 to 1.")
    requested_by: str
    params: dict[str, Any] = Field(description="The request as made.")
    config_hash: str | None
    data_from: datetime
    data_to: datetime
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None
    cancelled_by: str | None = Field(
        default=None, description="The key that cancelled the run (`DELETE /replays/{id}`)."
    )


class ReplayRead(ReplaySummary):
    model_config = ConfigDict(json_schema_extra=recorded_example("ReplayRead"))

    config: dict[str, Any] | None = Field(description="The configuration the run used.")
    report: dict[str, Any] | None = Field(
        description="When succeeded: the replay document (config_hash, data, strategies, ic, "
        "decisions, exits, selection), the same as `python -m app.cli replay` writes; a "
        "calibration's adds ic_default, verdict, calibration and folds, as "
        "`python -m app.cli calibrate`."
    )

    @computed_field(  # type: ignore[prop-decorator]
        description="When succeeded: where the candles it read came from (the report's "
        "`data.market_data`; `source not recorded` for a report stored before it was kept)."
    )
    @property
    def market_data(self) -> MarketDataRead | None:
        return None if self.report is None else market_data_of(self.report.get("data"))


if TYPE_CHECKING:
    StrategyFigures = StrategySummary
    Verdict = CalibrationVerdict
else:
    StrategyFigures = api_shape(
        StrategySummary,
        "StrategyFigures",
        "After costs; returns and drawdowns as fractions, None where undefined.",
    )
    Verdict = api_shape(CalibrationVerdict, "Verdict")


class EvidenceRead(BaseModel):
    model_config = ConfigDict(json_schema_extra=recorded_example("EvidenceRead"))

    run_id: int
    computed_at: datetime
    policy_hash: str = Field(description="The configuration in force the evidence is about.")
    report_url: str = Field(description="The full report, equity curves and folds included.")
    data: dict[str, Any] = Field(description="Range, symbols, decisions and funding coverage.")
    calibration: dict[str, Any] = Field(
        description="Windows, objective, search space and the in-sample figures and IC."
    )
    out_of_sample: dict[str, StrategyFigures] = Field(
        description="default (in force), policy (calibrated) and every baseline, after costs."
    )
    ic: dict[str, Any] = Field(
        description="Out-of-sample information coefficients (mean, t, Newey-West t `t_hac`, n) "
        "of the configuration in force (`active`) and of the calibrated one (`calibrated`); "
        "`residual_btc`: against returns net of BTC beta."
    )
    verdict: Verdict

    @computed_field(  # type: ignore[prop-decorator]
        description="Where the candles it read came from (`source not recorded` for evidence "
        "computed before it was kept)."
    )
    @property
    def market_data(self) -> MarketDataRead:
        return market_data_of(self.data)

    selection: dict[str, Any] | None = Field(
        description="Selection skill out of sample, market beta removed: the equal-weight "
        "eligible universe (`universe`), each strategy's alpha and beta against it with alpha's "
        "t, Newey-West t (`alpha_t_hac`) and 95 % interval, active return, tracking error and "
        "information ratio (`strategies`), the composite's, each component's and each metric's "
        "IC against raw and universe-residual (`residual_universe`) returns and the "
        "top-minus-bottom decile spread, each with its Newey-West t (`ranking`), each "
        "replacement's and blocked recommendation's outcome after 1, 7 and 30 days with its hit "
        "rate and interval clustered by decision date and overlapping horizons "
        "(`replacements`), and each track's percentile among the random books' return, Sharpe "
        "and alpha (`random`: `random`, and `random_turnover` at the policy's own turnover). "
        "Whole decision periods only. None for a calibration stored before it existed."
    )


class WhatIf(BaseModel):
    data: dict[str, Any]
    proposed: StrategyFigures
    current: StrategyFigures
    baselines: dict[str, StrategyFigures]
    ic: dict[str, Any]
    config_hash: dict[str, str]


class AlgorithmsChangeRead(BaseModel):
    model_config = ConfigDict(json_schema_extra=recorded_example("AlgorithmsChangeRead"))

    applied: bool = Field(description="False for a dry run: nothing was changed.")
    change_id: int | None = Field(description="The recorded change (when applied).")
    algorithms: list[AlgorithmRead] = Field(description="As they are, or would be.")
    evidence: WhatIf | None = Field(
        description="The proposed and current configurations replayed over the newest stored "
        "history (up to 90 days, daily, 6 bps fees) beside the baselines."
    )
    evidence_unavailable: str | None = Field(description="Why there is no evidence, if not.")


class AlgorithmChangeRecord(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra=recorded_example("AlgorithmChangeRecord")
    )

    id: int
    changed_at: datetime
    actor: str
    before: dict[str, Any]
    after: dict[str, Any]
    evidence: dict[str, Any] | None


class AlgorithmsInForceRead(BaseModel):
    model_config = ConfigDict(json_schema_extra=recorded_example("AlgorithmsInForceRead"))

    preset: str | None = Field(
        description="The named configuration the algorithm matches (`risk_only`: the default "
        "since migration 0024; `seed`: the seed's), or null for any other."
    )
    adopted_by: AlgorithmChangeRecord | None = Field(
        description="The newest recorded change of the algorithm, with the evidence it was made "
        "on; null while the algorithm is the one the database was created with."
    )
    algorithms: list[AlgorithmRead]
