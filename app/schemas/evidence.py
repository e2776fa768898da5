"""Evidence contracts: the walk-forward report of the configuration in force, and the replay a
scoring change is judged by."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from app.calibration.report import CalibrationVerdict
from app.replay.report import StrategySummary
from app.schemas.algorithms import AlgorithmRead
from app.schemas.recorded import recorded_example
from app.schemas.shapes import api_shape

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
