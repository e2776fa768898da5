"""The live records' contracts: `GET /evidence/live` (the as-run record, and its `forward`
section) and `GET /evidence/live/challengers` (the forward record's shadow books of the automated
policy, of every registered challenger and of the baselines, marked hourly from deployment on;
the forward rule's verdicts), with a book's figures over a window after costs and the spans of
one configuration and costs that both records report."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from app.market.schemas import MarketData
from app.platform.schemas.recorded import recorded_example
from app.platform.schemas.shapes import api_shape
from app.records.keeping.figures import Span
from app.stats.skill import Regression


class LiveFigures(BaseModel):
    """One book over a window, after costs; fractions, None where undefined."""

    total_return: float | None
    cagr: float | None
    volatility: float | None
    sharpe: float | None
    max_drawdown: float | None
    turnover: float | None = Field(description="Mean sum of |weight change| per decision.")
    fees: float | None = Field(description="Paid in the window, as a fraction of the start.")


class Segment(BaseModel):
    """A span under one configuration and costs (a changed configuration hash, fee or
    slippage starts a new one)."""

    model_config = ConfigDict(populate_by_name=True)

    config_hash: str
    fee_bps: float = Field(description="track_record_fee_bps when its decisions were marked.")
    slippage_bps: float = Field(
        description="track_record_slippage_bps when its decisions were marked."
    )
    from_: datetime = Field(alias="from")
    to: datetime
    decisions: int

    @classmethod
    def of(cls, span: Span) -> Segment:
        """The record's span as the API shows it."""
        return cls(
            config_hash=span.config_hash,
            fee_bps=span.fee_bps,
            slippage_bps=span.slippage_bps,
            from_=span.start,
            to=span.end,
            decisions=span.decisions,
        )


BOOKS = (
    "`policy` (the automated policy's shadow book), `challenger:<name>` (each registered "
    "challenger's) and the baselines `btc_hold`, `equal_weight`, `top_volume`, `momentum`, "
    "`random`"
)


class SkillIc(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"mean": 0.021, "t_hac": 1.12, "n": 38}]}
    )

    mean: float | None = Field(
        description="Mean daily skill IC: the composite's Spearman correlation with "
        "universe-beta-residual returns over each daily decision's period."
    )
    t_hac: float | None = Field(description="The mean over its Newey-West standard error.")
    n: int = Field(description="Daily decisions where it was measured.")


if TYPE_CHECKING:
    AgainstUniverse = Regression
else:
    AgainstUniverse = api_shape(
        Regression,
        "AgainstUniverse",
        "A scoring book's daily returns regressed on the universe's (the equal-weight index of\n"
        "the contracts eligible at each daily decision); per day, annualised over 365.",
        ConfigDict(json_schema_extra=recorded_example("AgainstUniverse")),
    )


class ForwardBook(LiveFigures):
    """One shadow book since it started, after costs; fractions, None where undefined."""

    model_config = ConfigDict(
        populate_by_name=True, json_schema_extra=recorded_example("ForwardBook")
    )

    from_: datetime = Field(alias="from", description="Its first marked hour (equity 1.0).")
    trades: int = Field(description="Hours it traded at.")
    skill_ic: SkillIc | None = Field(None, description="Scoring books only.")
    against_universe: AgainstUniverse | None = Field(None, description="Scoring books only.")
    segments: list[Segment] | None = Field(
        None,
        description="Scoring books only: its daily decisions' spans of one configuration "
        "and costs (a changed configuration hash, fee or slippage starts a new one).",
    )


class ForwardRule(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"min_decisions": 90, "lead_se": 2.0, "correction": "holm"}]
        }
    )

    min_decisions: int
    lead_se: float
    correction: str


class ChallengerVerdict(BaseModel):
    """A registered challenger against the default under the forward rule."""

    model_config = ConfigDict(json_schema_extra=recorded_example("ChallengerVerdict"))

    name: str
    book: str
    source: str = Field(description="family, preset or new.")
    hypothesis: str
    registered_at: datetime = Field(description="Its record starts at its first decision after.")
    decisions: int = Field(description="Daily decisions where both skill ICs are known.")
    ic_lead: float | None = Field(description="Mean of its daily skill IC minus the default's.")
    ic_lead_se: float | None = Field(description="Newey-West standard error of `ic_lead`.")
    ic_lead_t: float | None
    p_value: float | None = Field(description="One-sided, of ic_lead / ic_lead_se.")
    holm_threshold: float | None = Field(description="What p_value had to beat (Holm).")
    alpha_lead: float | None = Field(
        description="Paired alpha per day: intercept of (its return - the default's) on the "
        "universe's."
    )
    alpha_lead_t: float | None = Field(description="Its Newey-West t.")
    qualifies: bool
    reasons: list[str] = Field(description="Why it does not qualify, in words.")


class ChallengersRead(BaseModel):
    model_config = ConfigDict(json_schema_extra=recorded_example("ChallengersRead"))

    rule: ForwardRule
    default_book: str = Field(description="The default's book: `policy`.")
    decisions: int = Field(description="The default's judged daily decisions.")
    inception: datetime | None
    adopt: str | None = Field(
        description="The challenger the rule would adopt (null: the default stays). Never "
        "adopted by itself: an admin adopts it with PUT /scoring/algorithms."
    )
    verdicts: list[ChallengerVerdict] = Field(description="One per registered challenger.")


class ForwardRecordRead(BaseModel):
    model_config = ConfigDict(json_schema_extra=recorded_example("ForwardRecordRead"))

    inception: datetime = Field(description="The first hour it decided (after deployment).")
    marked_to: datetime | None = Field(description="The last hour marked; null before the first.")
    hours_to_mark: int = Field(description="Hours the stored candles allow marking now.")
    books: dict[str, ForwardBook] = Field(description=f"{BOOKS}.")
    challengers: ChallengersRead
    equity: dict[str, list[list[float]]] = Field(
        description="[epoch ms, equity] of each book, at most 1 000 points each."
    )


BOOK_NAMES = "as_run (the real portfolio, whoever changed it)"


class LiveWindow(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

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
    market_data: MarketData = None
