"""The alerts the service raises: one unresolved row per condition."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.core.clock import utcnow
from app.platform.db.base import Base, check_one_of
from app.platform.db.types import JSONType, UTCDateTime

ALERT_STATUSES = ("open", "acknowledged", "resolved")

UNRESOLVED_ONLY = text("status <> 'resolved'")


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
