"""The event outbox: every event the live stream sends, persisted with a monotonic id."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.core.clock import utcnow
from app.platform.db.base import Base, check_one_of
from app.platform.db.types import JSONType, UTCDateTime

EVENT_KINDS = (
    "portfolio_changed",
    "weights_updated",
    "replacement_proposed",
    "score_run_completed",
    "alert",
    "data_stale",
    "category_changed",
)


class EventOutbox(Base):
    """One event; ids increase in commit order (writers serialise on a lock), so a client that
    has seen id N has seen every event before it."""

    __tablename__ = "event_outbox"
    __table_args__ = (
        check_one_of("kind", EVENT_KINDS, name="kind_known"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
