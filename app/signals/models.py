"""The `signal` table: a trading signal and, once evaluated, its votes, consensus and outcome."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.core.clock import utcnow
from app.platform.db.base import Base, check_one_of
from app.platform.db.types import ExactDecimal, JSONType, UTCDateTime

SIGNAL_STATUSES = ("pending", "processing", "approved", "rejected", "expired")
DECIDED = ("approved", "rejected")  # what the consensus decided (the outcome is measured)
SETTLED = (*DECIDED, "expired")  # never pending, nor processing (mid-evaluation)


class Signal(Base):
    """A trading signal and, once evaluated, each agent's vote and the consensus."""

    __tablename__ = "signal"
    __table_args__ = (
        CheckConstraint("direction IN ('BUY', 'SELL', 'NEUTRAL')", name="direction_known"),
        check_one_of("status", SIGNAL_STATUSES, name="status_known"),
        CheckConstraint("strength >= 0 AND strength <= 1", name="strength_unit"),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence_unit"),
        Index("ix_signal_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(80), index=True)
    symbol_id: Mapped[int | None] = mapped_column(ForeignKey("symbol.id", ondelete="SET NULL"))
    symbol: Mapped[str | None] = mapped_column(String(40))
    signal_type: Mapped[str] = mapped_column(String(40))
    direction: Mapped[str] = mapped_column(String(10))
    strength: Mapped[Decimal] = mapped_column(ExactDecimal(5, 4))
    confidence: Mapped[Decimal] = mapped_column(ExactDecimal(5, 4))
    timeframe: Mapped[str | None] = mapped_column(String(20))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    outcome: Mapped[str | None] = mapped_column(String(20))
    votes: Mapped[list[Any]] = mapped_column(JSONType, default=list)
    consensus: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    evaluated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    forward_return: Mapped[float | None] = mapped_column()
