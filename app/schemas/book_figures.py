"""A book's figures over a window after costs, and the spans of one configuration and costs:
the as-run record's and the forward record's."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


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

    config_hash: str
    fee_bps: float = Field(description="track_record_fee_bps when its decisions were marked.")
    slippage_bps: float = Field(
        description="track_record_slippage_bps when its decisions were marked."
    )
    from_: datetime = Field(alias="from")
    to: datetime
    decisions: int
