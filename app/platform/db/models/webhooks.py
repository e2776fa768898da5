"""Webhook deliveries: one row per event and URL, claimed before sending by one dispatcher
(`claimant`, heartbeating while it holds the row; a live replica re-claims it when the heartbeat
stops), with the outcome of the last attempt."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.core.clock import utcnow
from app.platform.db.base import Base
from app.platform.db.types import UTCDateTime

SENDING = text("status = 'sending'")


class WebhookDelivery(Base):
    __tablename__ = "webhook_delivery"
    __table_args__ = (
        CheckConstraint(
            "status IN ('sending', 'delivered', 'failed', 'rate_limited')", name="status_known"
        ),
        Index("uq_webhook_delivery_event_url", "event_id", "url", unique=True),
        Index("ix_webhook_delivery_url_kind_time", "url", "kind", "created_at"),
        Index(
            "ix_webhook_delivery_sending",
            "url",
            "heartbeat_at",
            postgresql_where=SENDING,
            sqlite_where=SENDING,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"),
        ForeignKey("event_outbox.id", ondelete="CASCADE"),
    )
    url: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="sending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    response_status: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    replica: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimant: Mapped[str | None] = mapped_column(String(120))
    """The dispatcher process that holds (or last held) the row; NULL once handed back."""
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When the claimant last said it holds the row (NULL: claimed by code before 0030)."""
