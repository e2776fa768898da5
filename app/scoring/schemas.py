"""Contracts for scoring: runs, rankings, per-symbol history with breakdowns."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    ValidationError,
    computed_field,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from app.market.schemas import (
    CATEGORY_DESCRIPTION,
    ContractCategory,
    DecidedBy,
    MarketData,
    RuleFigures,
)
from app.platform.schemas.bounds import MAX_ALGORITHM_PARAMETERS, MAX_ALGORITHMS, at_most
from app.platform.schemas.common import DecimalNumber, RequestBody, UnitFraction
from app.platform.schemas.recorded import recorded_example
from app.scoring.scorers import learned
from app.scoring.scorers.component_registry import components, parameter_problems, parameters_schema
from app.scoring.scorers.parameters import ParameterProblem

RUN_EXAMPLE: dict[str, Any] = {
    "id": 42,
    "status": "completed",
    "started_at": "2026-11-22T09:00:00Z",
    "finished_at": "2026-11-22T09:00:21Z",
    "universe_size": 684,
    "scored_count": 141,
    "excluded_count": 10,
    "exclusions": {
        "by_reason": {"INSUFFICIENT_HISTORY": 7, "STALE_TICKER": 3},
        "symbols": {"NEWCOINUSDT": "INSUFFICIENT_HISTORY"},
        "stage1": {"universe": 684, "eligible": 640, "shortlisted": 151},
        "fetch_failures": {},
    },
    "data_source": "https://api-futures.kucoin.com",
    "config_hash": "9c1f…",
    "duration_ms": 20931.4,
    "triggered_by": "scheduler",
}


class ScoringRunRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={"examples": [RUN_EXAMPLE]},
    )

    id: int
    status: str
    started_at: datetime
    finished_at: datetime | None
    universe_size: int
    scored_count: int
    excluded_count: int
    exclusions: dict[str, Any] = Field(
        description="Counts by reason code, the reason of each excluded symbol, stage-1 sizes."
    )
    data_source: str = Field(description="The KuCoin base URL the run read (live or simulator).")
    config_hash: str | None
    duration_ms: float | None
    triggered_by: str | None
    spend: dict[str, Any] | None = Field(
        default=None,
        description="KuCoin weight: `planned` before stage 2 (by endpoint and symbol, the "
        "`scoring_weight_budget`, the rotation and how many due it left out, funding "
        "settlements left to a later run, the window's free weight) and `spent` (by endpoint "
        "as KuCoin counted it, requests, seconds the limiter held sends).",
    )


class ScoringRunDetail(ScoringRunRead):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **RUN_EXAMPLE,
                    "config": {
                        "weights": {
                            "technical": 0.3,
                            "fundamental": 0.25,
                            "market_structure": 0.25,
                            "risk": 0.2,
                        },
                        "parameters": {"fundamental": {"volume_growth_windows_d": [7, 30]}},
                        "gate": {"min_history": 168, "max_gap_ratio": 0.02},
                        "shortlist": 150,
                        "candles": 720,
                        "benchmark": "BTCUSDT",
                    },
                }
            ]
        }
    )

    config: dict[str, Any] = Field(description="Weights, parameters and gate thresholds used.")


class RankingItem(BaseModel):
    rank: int
    symbol: str
    kucoin_symbol: str
    composite: float = Field(ge=0, le=100)
    confidence: float = Field(ge=0, le=1, description="Share of the metric weight measured.")
    components: dict[str, float | None]
    category: ContractCategory = Field(description=CATEGORY_DESCRIPTION)
    category_source: DecidedBy
    category_figures: RuleFigures


class RankingsRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "run_id": 42,
                    "scored_at": "2026-11-22T09:00:00Z",
                    "component": "composite",
                    "data_age_s": 312.5,
                    "stale": False,
                    "stale_reason": None,
                    "items": [
                        {
                            "rank": 1,
                            "symbol": "SOLUSDT",
                            "kucoin_symbol": "SOLUSDTM",
                            "composite": 78.41,
                            "confidence": 1.0,
                            "category": "crypto",
                            "category_source": "exchange",
                            "category_figures": {
                                "weekend_range": 0.8831,
                                "weekend_move": 0.8042,
                                "weekend_volume": 0.7113,
                                "quietness": 0.5052,
                                "session_share": 0.4321,
                                "weekend_hours": 352,
                                "weekday_hours": 576,
                                "weekends": 8,
                                "quiet_low": 0.3015,
                                "quiet_high": 0.8466,
                                "market_corr": 0.9487,
                                "market_corr_low": 0.9384,
                                "market_hours": 351,
                                "rule_category": "crypto",
                            },
                            "components": {
                                "technical": 71.2,
                                "fundamental": 88.0,
                                "market_structure": 90.1,
                                "risk": 59.3,
                            },
                        }
                    ],
                    "market_data": {
                        "sources": ["live"],
                        "simulated": False,
                        "note": "computed from KuCoin's prices",
                    },
                }
            ]
        }
    )

    run_id: int
    scored_at: datetime
    component: str
    data_age_s: float = Field(description="Seconds since the run's market data was taken.")
    stale: bool = Field(
        description="True when these scores are not the newest word: a newer run scored "
        "nothing (so these are an older run's), or the run is older than the runtime setting "
        "stale_data_limit_s. `stale_reason` says which."
    )
    stale_reason: str | None = Field(
        description="Why `stale` is true: the newer run that scored nothing, with what kept it "
        "from scoring (its universe sync's error, its failed fetches, its exclusions), and/or "
        "the data's age past the limit; null when not stale."
    )
    items: list[RankingItem]
    market_data: MarketData = None


class ComponentScoreRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    component: str
    score: DecimalNumber
    confidence: DecimalNumber
    breakdown: dict[str, Any] = Field(
        description="Per metric: raw value, normalised value (0-100), weight and contribution."
    )


class SymbolScoresEntry(BaseModel):
    run_id: int
    scored_at: datetime
    scores: list[ComponentScoreRead]


class SymbolScoresRead(BaseModel):
    model_config = ConfigDict(json_schema_extra=recorded_example("SymbolScoresRead"))

    symbol: str
    category: ContractCategory = Field(
        description=CATEGORY_DESCRIPTION + " Also stablecoin where the newest scoring run found "
        "its closes pegged."
    )
    category_source: DecidedBy
    category_figures: RuleFigures
    excluded: str | None = Field(
        description="Why it has no score now: `excluded:category:<name>` while the runtime "
        "setting excluded_categories names its category, else its gate code in the newest "
        "scoring run; null when that run scored it (or never saw it)."
    )
    history: list[SymbolScoresEntry]
    market_data: MarketData = None


def parameter_errors(
    model: str, problems: Sequence[ParameterProblem], at: tuple[str | int, ...]
) -> ValidationError:
    """`problems` as the validation error of `model`, each located at `at` + its path (the
    422 names e.g. `algorithms.0.parameters.volatility_window`)."""
    return ValidationError.from_exception_data(
        model,
        [
            InitErrorDetails(
                type=PydanticCustomError("parameter_bounds", p.text),
                loc=(*at, *p.path),
                input=p.value,
            )
            for p in problems
        ],
    )


class AlgorithmRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra=recorded_example("AlgorithmRead")
    )

    name: str
    weight: DecimalNumber
    parameters: dict[str, Any]
    is_active: bool
    description: str | None
    updated_at: datetime
    updated_by: str | None

    @computed_field(  # type: ignore[prop-decorator]
        description="The parameters this component takes: types, bounds and defaults, as JSON "
        "schema (declared beside the component; a change outside them is refused)."
    )
    @property
    def parameters_schema(self) -> dict[str, Any]:
        return parameters_schema(self.name)

    @computed_field(  # type: ignore[prop-decorator]
        description="Stored parameters outside `parameters_schema` (set before it was "
        "enforced): they still run, an alert names them, and a change that sends them again "
        "is refused."
    )
    @property
    def parameters_outside_bounds(self) -> list[str]:
        return [p.named(self.name) for p in parameter_problems(self.name, self.parameters)]

    @computed_field(  # type: ignore[prop-decorator]
        description="Null when this installation can score with the component; else what it "
        "lacks and what to install (the learned scorer without the `learned` extra: it scores "
        "nothing here, and a change that weighs it is refused)."
    )
    @property
    def not_installed(self) -> str | None:
        if self.name != learned.COMPONENT or learned.available():
            return None
        return learned.NOT_INSTALLED


def _known_components(schema: dict[str, Any]) -> None:
    schema["enum"] = list(components())  # the built-ins and the registered plug-ins'


class PresetRead(BaseModel):
    model_config = ConfigDict(json_schema_extra=recorded_example("PresetRead"))

    name: str
    candidate: str = Field(description="Its letter in the registered family (README, Scoring).")
    label: str
    weights: dict[str, float] = Field(description="Component weights, summing to 1.")
    technical_version: int
    is_default: bool = Field(description="The configuration new databases start with.")


class AlgorithmUpdate(RequestBody):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=40, json_schema_extra=_known_components)
    weight: UnitFraction | None = Field(default=None, description="0..1, kept to 4 decimals.")
    parameters: Annotated[dict[str, Any], *at_most(MAX_ALGORITHM_PARAMETERS)] | None = Field(
        default=None,
        description="The component's parameters, replacing the stored ones; within the "
        "`parameters_schema` `GET /scoring/algorithms` shows for it.",
    )
    is_active: bool | None = None

    @model_validator(mode="wrap")
    @classmethod
    def parameters_within_bounds(
        cls, data: Any, handler: ModelWrapValidatorHandler[AlgorithmUpdate]
    ) -> AlgorithmUpdate:
        update = handler(data)
        if update.parameters is not None and update.name in components():
            problems = parameter_problems(update.name, update.parameters)
            if problems:
                raise parameter_errors(cls.__name__, problems, ("parameters",))
        return update


class AlgorithmsUpdate(RequestBody):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "algorithms": [
                        {"name": "technical", "weight": 0.35},
                        {"name": "risk", "weight": 0.15},
                    ]
                }
            ]
        },
    )

    algorithms: Annotated[list[AlgorithmUpdate], *at_most(MAX_ALGORITHMS)] = Field(min_length=1)
