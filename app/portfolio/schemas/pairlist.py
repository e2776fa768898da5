"""The portfolio in freqtrade's RemotePairList format, with its ranks and weights."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.portfolio.schemas.members import WEIGHTS_AS_OF


class Pairlist(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "pairs": ["BTC/USDT:USDT", "ETH/USDT:USDT"],
                    "refresh_period": 900,
                    "ranks": {"BTC/USDT:USDT": 1, "ETH/USDT:USDT": 2},
                    "weights": {"BTC/USDT:USDT": 55.0, "ETH/USDT:USDT": 45.0},
                    "weights_as_of": "2026-11-21T14:00:02Z",
                }
            ]
        }
    )

    pairs: list[str] = Field(description="Members by rank, in ccxt's unified futures form.")
    refresh_period: int = Field(description="Seconds between scoring runs (the list may change).")
    ranks: dict[str, int] = Field(
        description="Each pair's rank (1 = first); freqtrade ignores it, a strategy may read it."
    )
    weights: dict[str, float] = Field(
        description="Each pair's weight, percent (summing to 100), as the last change set it: "
        "for stake sizing."
    )
    weights_as_of: datetime | None = Field(description=WEIGHTS_AS_OF)
