"""The dated membership export: one row per interval and member (JSON; CSV has the same rows),
of the audit trail or of a replay's decisions."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.platform.schemas.common import IsoDateTime
from app.portfolio.maths.membership_intervals import COLUMNS

ROW_EXAMPLE: dict[str, Any] = {
    "from": "2026-11-20T09:00:00Z",
    "to": "2026-11-22T09:00:00Z",
    "symbol": "SOLUSDT",
    "kucoin_symbol": "SOLUSDTM",
    "ccxt_symbol": "SOL/USDT:USDT",
    "weight": 55.0,
    "rank": 1,
    "reason": "add",
    "listed": True,
}
COLUMN_NAMES: list[Any] = list(COLUMNS)  # the export's, as its document names them


class TimelineRow(BaseModel):
    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [ROW_EXAMPLE]})

    start: IsoDateTime = Field(alias="from", description="The interval's start (inclusive).")
    end: IsoDateTime = Field(
        alias="to",
        description="Its end (exclusive): the next change, or "
        "the range's end for an interval still open.",
    )
    symbol: str = Field(description="Canonical symbol, e.g. BTCUSDT.")
    kucoin_symbol: str = Field(description="KuCoin's code, as stored at the last sync.")
    ccxt_symbol: str = Field(description="ccxt's unified form, as stored at the last sync.")
    weight: float = Field(description="Percent; an interval's weights sum to 100.")
    rank: int = Field(ge=1)
    reason: str = Field(
        description="The decision that opened the interval: the audit row's reason (its action "
        "when none was given); in a replay exit:<code>, replaced, added or rebalance."
    )
    listed: bool = Field(
        description="False when KuCoin's contract list no longer holds the contract (or, in a "
        "replay, when the universe never held it)."
    )


class TimelineRead(BaseModel):
    model_config = ConfigDict(
        populate_by_name=True,
        json_schema_extra={
            "examples": [
                {
                    "from": "2026-11-20T09:00:00Z",
                    "to": "2026-11-22T09:00:00Z",
                    "clamped_to_now": False,
                    "source": "audit",
                    "columns": COLUMN_NAMES,
                    "rows": [ROW_EXAMPLE],
                }
            ]
        },
    )

    start: IsoDateTime = Field(alias="from")
    end: IsoDateTime = Field(alias="to")
    clamped_to_now: bool = Field(
        description="True when the `to` asked for lay beyond now: the range ends now instead "
        "(`to` is now, and `from` too when it also lay beyond, so a range wholly in the future "
        "holds no rows): nothing is held in the future. Always false for a replay."
    )
    source: Literal["audit", "replay"] = Field(
        description="The audit trail, or a replay's decisions."
    )
    columns: list[str] = Field(description="The rows' fields, in the CSV's column order.")
    rows: list[TimelineRow] = Field(description="By interval, then rank; tiling the range.")
