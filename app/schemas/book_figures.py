"""A book's figures over a window after costs: the as-run record's windows and the forward
record's books."""

from __future__ import annotations

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
