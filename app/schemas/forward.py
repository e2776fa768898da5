"""`GET /evidence/live`'s `forward` section and `GET /evidence/live/challengers`: the shadow
books of the automated policy, of every registered challenger and of the baselines, marked
hourly from deployment on; the forward rule's verdicts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.book_figures import LiveFigures, Segment
from app.schemas.recorded import recorded_example
from app.schemas.shapes import api_shape
from app.stats.skill import Regression

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

    model_config = ConfigDict(json_schema_extra=recorded_example("ForwardBook"))

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
