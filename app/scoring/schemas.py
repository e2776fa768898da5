"""Contracts for scoring: runs, rankings, per-symbol history with breakdowns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.market.schemas import CATEGORY_DESCRIPTION, ContractCategory, DecidedBy, RuleFigures
from app.schemas.common import DecimalNumber
from app.schemas.recorded import recorded_example

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
                }
            ]
        }
    )

    run_id: int
    scored_at: datetime
    component: str
    data_age_s: float = Field(description="Seconds since the run's market data was taken.")
    stale: bool
    items: list[RankingItem]


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
