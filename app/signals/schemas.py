"""Contracts for trading signals."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.platform.schemas.bounds import (
    MAX_PAYLOAD_BYTES,
    MAX_PAYLOAD_DEPTH,
    MAX_PAYLOAD_KEYS,
    at_most,
    json_within,
)
from app.platform.schemas.common import (
    REFUSE_UNSTORABLE,
    DecimalNumber,
    IsoDateTime,
    RequestBody,
    StorableObject,
    StorableText,
    SymbolText,
    UnitFraction,
)
from app.platform.schemas.recorded import recorded_example


class SignalCreate(RequestBody):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "source": "momentum-bot",
                    "symbol": "SOLUSDT",
                    "signal_type": "BREAKOUT",
                    "direction": "BUY",
                    "strength": 0.8,
                    "confidence": 0.7,
                    "timeframe": "1h",
                    "payload": {"level": 151.2},
                    "expires_at": "2026-11-22T12:00:00Z",
                }
            ]
        },
    )

    source: StorableText = Field(min_length=1, max_length=80)
    symbol: SymbolText | None = None
    signal_type: StorableText = Field(min_length=1, max_length=40)
    direction: Literal["BUY", "SELL", "NEUTRAL"]
    strength: UnitFraction = Field(description="0..1; kept to 4 decimals.")
    confidence: UnitFraction = Field(description="0..1; kept to 4 decimals.")
    timeframe: StorableText | None = Field(default=None, max_length=20)
    payload: Annotated[
        StorableObject,
        *at_most(MAX_PAYLOAD_KEYS),
        REFUSE_UNSTORABLE,
        json_within(MAX_PAYLOAD_BYTES, MAX_PAYLOAD_DEPTH),
    ] = Field(
        default_factory=dict,
        description=f"The sender's own fields: at most {MAX_PAYLOAD_KEYS} keys, "
        f"{MAX_PAYLOAD_BYTES} bytes as compact JSON and {MAX_PAYLOAD_DEPTH} levels deep.",
    )
    expires_at: IsoDateTime | None = None


class SignalSummary(BaseModel):
    """A signal as the lists give it: all but its payload (`GET /signals/{id}` gives that)."""

    model_config = ConfigDict(
        from_attributes=True, json_schema_extra=recorded_example("SignalSummary")
    )

    id: int
    source: str
    symbol: str | None
    signal_type: str
    direction: str
    strength: DecimalNumber
    confidence: DecimalNumber
    timeframe: str | None
    status: str
    outcome: str | None
    votes: list[dict[str, Any]]
    consensus: dict[str, Any]
    created_at: datetime
    expires_at: datetime | None
    processed_at: datetime | None


class SignalRead(SignalSummary):
    """One signal, its payload included."""

    model_config = ConfigDict(
        from_attributes=True, json_schema_extra=recorded_example("SignalRead")
    )

    payload: dict[str, Any]


class SignalStatistics(BaseModel):
    model_config = ConfigDict(json_schema_extra=recorded_example("SignalStatistics"))

    total: int
    by_status: dict[str, int]
    by_source: dict[str, int]
    by_type: dict[str, int]
    approval_rate: float | None = Field(description="Approved among approved + rejected.")
    no_quorum: int = Field(description="Rejected because too few agents could vote.")
    agents: dict[str, dict[str, Any]] = Field(description="Per agent: votes by decision, weight.")
    average_processing_s: float | None
