"""The live track record's contract: `GET /evidence/live`."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.book_figures import LiveFigures, Segment
from app.schemas.forward import ForwardRecordRead
from app.schemas.recorded import recorded_example

BOOK_NAMES = "as_run (the real portfolio, whoever changed it)"


class LiveWindow(BaseModel):
    from_: datetime = Field(alias="from")
    to: datetime
    complete: bool = Field(
        description="False when the record is shorter than the window (or not marked yet)."
    )
    books: dict[str, LiveFigures] = Field(description=f"{BOOK_NAMES}.")


class ReplacementOutcomes(BaseModel):
    """Each replacement's newcomer return minus the replaced member's over the horizon."""

    horizon_days: int
    n: int
    mean: float | None
    hit_rate: float | None
    hit_interval: list[float | None] = Field(
        description="95 % Wilson interval at the effective number of outcomes (clustered)."
    )
    decisions: int = Field(description="Distinct decision dates (the clusters).")
    t_clustered: float | None = Field(
        description="The mean over its standard error clustered by decision date, overlapping "
        "horizons covarying (the replay's)."
    )
    effective_n: float | None = Field(description="n over the design effect (at most n).")


class AsRunRecord(BaseModel):
    """The real portfolio as it was run, whoever changed it, marked hourly after costs."""

    inception: datetime = Field(
        description="The hour of the first decision (the first audit row's trading hour): "
        "equity 1.0 there."
    )
    marked_to: datetime | None = Field(description="The last hour marked; null before the first.")
    updated_at: datetime | None = Field(description="The last update; null before the first.")
    hours: int = Field(description="Hours marked (0 before the first).")
    hours_to_mark: int = Field(
        description="Hours between the last marked one (or the hour before inception) and the "
        "newest one the stored candles allow marking: what the next update will mark."
    )
    gap_hours: int = Field(
        description="Hours marked while a symbol the portfolio held had no candle (carried)."
    )
    decisions: int = Field(description="Decisions marked.")
    segments: list[Segment]
    windows: dict[str, LiveWindow] = Field(description="since_inception, last_30d and last_90d.")
    replacements: ReplacementOutcomes
    equity: dict[str, list[list[float]]] = Field(
        description=f"[epoch ms, equity] of {BOOK_NAMES}, at most 1 000 points each."
    )


class LiveEvidenceRead(BaseModel):
    model_config = ConfigDict(json_schema_extra=recorded_example("LiveEvidenceRead"))

    as_run: AsRunRecord | None = Field(
        description="The as-run record: the real portfolio's decisions, each with its actor "
        "(an API key's name, `scheduler`, `autopilot`) and reason; null before its first."
    )
    forward: ForwardRecordRead | None = Field(
        description="The forward record: the automated policy's shadow book, every registered "
        "challenger's and the baselines', marked hourly from deployment on; null before the "
        "`forward_record` job first ran."
    )
