"""The portfolio's members and their changes: the portfolio as read, a member added, removed or
replaced, the audit trail's rows, and the replacement advice with its confirmations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.platform.schemas.common import DecimalNumber, RequestBody, StorableText, SymbolText
from app.platform.schemas.recorded import recorded_example

WEIGHTS_AS_OF = (
    "When the weights were last set: the time of the newest change in the audit trail (a "
    "membership change or a rebalance, each of which sets every member's weight); null before "
    "the first. New scores move ranks and composites, not weights, so between changes the "
    "weights need not follow the ranks (`GET /portfolio/weights` gives the targets the latest "
    "scores would set). In a past snapshot (`as_of`), the time of the change it shows."
)


class MemberRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    rank: int = Field(
        description="The order to read the members in: 1 = the best latest composite among "
        "them (members without a score last). A past snapshot (`as_of`) gives the ranks the "
        "change stored, by the scores of that time."
    )
    symbol: str
    kucoin_symbol: str = Field(description="KuCoin's code, as stored at the last sync.")
    ccxt_symbol: str = Field(description="ccxt's unified form, as stored at the last sync.")
    listed: bool = Field(
        description="False when KuCoin's contract list no longer holds the contract."
    )
    weight: DecimalNumber = Field(
        description="Percent of the portfolio, as the last change set it (`weights_as_of`)."
    )
    composite: float | None
    included_at: datetime
    entry_price: DecimalNumber | None
    current_price: float | None
    price_source: str | None = Field(description="websocket, rest or stored_mark.")
    performance_pct: float | None = Field(description="Price change since inclusion, percent.")
    is_replacement_candidate: bool = Field(
        description="Among the weakest members by score: what a replacement would take first "
        "once `replaceable_from` has passed."
    )
    replaceable_from: datetime | None = Field(
        description="When its minimum holding time (runtime setting min_holding_hours) ends: "
        "before then nothing replaces it but an exit; null in a reconstructed past snapshot."
    )
    data_age_s: float | None
    stale: bool


class PortfolioRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "as_of": "2026-11-22T09:00:00Z",
                    "members": [
                        {
                            "rank": 1,
                            "symbol": "SOLUSDT",
                            "kucoin_symbol": "SOLUSDTM",
                            "ccxt_symbol": "SOL/USDT:USDT",
                            "listed": True,
                            "weight": 12.5,
                            "composite": 74.2,
                            "included_at": "2026-11-20T09:00:00Z",
                            "entry_price": 142.31,
                            "current_price": 145.02,
                            "price_source": "websocket",
                            "performance_pct": 1.904293,
                            "is_replacement_candidate": False,
                            "replaceable_from": "2026-11-21T09:00:00Z",
                            "data_age_s": 0.4,
                            "stale": False,
                        }
                    ],
                    "max_symbols": 10,
                    "total_weight": 100.0,
                    "score_run_id": 42,
                    "score_age_s": 310.2,
                    "stale": False,
                    "weights_as_of": "2026-11-21T14:00:02Z",
                    "reconstructed": False,
                }
            ]
        },
    )

    as_of: datetime
    members: list[MemberRead]
    max_symbols: int
    total_weight: DecimalNumber
    score_run_id: int | None
    score_age_s: float | None
    stale: bool
    weights_as_of: datetime | None = Field(description=WEIGHTS_AS_OF)
    reconstructed: bool = Field(description="True when read from the audit trail (as_of).")


class AddSymbol(RequestBody):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"symbol": "SOLUSDT", "reason": "top composite, low correlation to the members"}
            ]
        },
    )

    symbol: SymbolText
    reason: StorableText | None = Field(default=None, max_length=500)


class RemoveSymbol(AddSymbol):
    """The same fields as AddSymbol: the member to remove and why."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"symbol": "DOGEUSDT", "reason": "delisting announced"}]}
    )


class ReplaceSymbol(RequestBody):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "old_symbol": "DOGEUSDT",
                    "new_symbol": "ADAUSDT",
                    "reason": "replacement proposal 812",
                }
            ]
        },
    )

    old_symbol: SymbolText
    new_symbol: SymbolText
    reason: StorableText | None = Field(default=None, max_length=500)


class HistoryRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra=recorded_example("HistoryRead")
    )

    id: int
    occurred_at: datetime
    action: str
    symbol: str | None
    replaced_symbol: str | None
    old_rank: int | None
    new_rank: int | None
    old_weight: DecimalNumber | None
    new_weight: DecimalNumber | None
    reason: str | None
    actor: str
    request_id: str | None
    details: dict[str, Any] = Field(
        description="The portfolio after the change, weights before it, how weights were made."
    )


class ChangeRead(BaseModel):
    model_config = ConfigDict(json_schema_extra=recorded_example("ChangeRead"))

    change: HistoryRead
    portfolio: PortfolioRead


class ConfirmationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    run_id: int
    member_score: float | None
    outsider_score: float | None
    lead: float | None


class RecommendationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    member: str
    member_rank: int
    member_score: float | None
    outsider: str | None
    outsider_score: float | None
    lead: float | None
    held_hours: float
    confirmations: list[ConfirmationRead]
    max_correlation: float | None
    most_correlated_with: str | None
    reasons: list[str]
    blocking: list[str]
    actionable: bool
    not_before: datetime | None = Field(
        description="The earliest time it may become actionable, only while its outsider leads "
        "by the replacement margin in the newest scoring run and what blocks it ends at a time "
        "(the member's minimum holding time; that lead confirmed, should it keep leading); null "
        "when actionable now, when no outsider leads by the margin (`actionability` then names "
        "the best one and its lead), or when nothing says when (a correlation)."
    )
    actionability: str = Field(
        description="Its state in the one wording the dashboard, the command line and the demo "
        "show: `actionable now`; `not actionable before 2026-11-29 09:00 UTC` (`not_before` to "
        "the minute); `not actionable: no outsider leads by 5 points (best: SIM340USDT, -0.1)` "
        "(the margin, the best-scored outsider and its lead, signed and cut to one decimal; "
        "`not actionable: no scored, tradable outsider` when there is none); or "
        "`not actionable: ` and the blocking reasons when no time is known."
    )


class ReplacementCandidatesRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra=recorded_example("ReplacementCandidatesRead")
    )

    evaluated_at: datetime
    run_ids: list[int] = Field(description="Scoring runs the hysteresis read, newest first.")
    recommendations: list[RecommendationRead]
