"""Trading signals posted by outside sources and the alerts the service raises."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.clock import utcnow
from app.db.base import Base, check_one_of
from app.db.types import ExactDecimal, JSONType, UTCDateTime

SIGNAL_STATUSES = ("pending", "processing", "approved", "rejected", "expired")
ALERT_STATUSES = ("open", "acknowledged", "resolved")

UNRESOLVED_ONLY = text("status <> 'resolved'")


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


class Alert(Base):
    """A deduplicated condition: one unresolved row per fingerprint, counting occurrences."""

    __tablename__ = "alert"
    __table_args__ = (
        check_one_of("status", ALERT_STATUSES, name="status_known"),
        CheckConstraint("severity IN ('info', 'warning', 'critical')", name="severity_known"),
        CheckConstraint("occurrences >= 1", name="occurrences_positive"),
        Index(
            "uq_alert_unresolved_fingerprint",
            "fingerprint",
            unique=True,
            postgresql_where=UNRESOLVED_ONLY,
            sqlite_where=UNRESOLVED_ONLY,
        ),
        Index("ix_alert_status_kind", "status", "kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(10), default="warning")
    fingerprint: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="open")
    symbol: Mapped[str | None] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    occurrences: Mapped[int] = mapped_column(Integer, default=1)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(80))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
