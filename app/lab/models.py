"""Replays started over the API: what was asked, how far it got, and the report it produced."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.core.clock import utcnow
from app.platform.db.base import Base
from app.platform.db.types import JSONType, UTCDateTime

PENDING = ("queued", "running")  # a run's statuses before it ends


class ReplayRun(Base):
    """The ledger of replays, calibrations and what-if runs: the job ledger's shape (`JobRun`:
    status, requester, replica, progress, heartbeat, times, error and problem), and what was
    asked, what it ran with and its report."""

    __tablename__ = "replay_run"
    __table_args__ = (
        CheckConstraint(
            "status IN ('queued', 'running', 'succeeded', 'failed', 'aborted', 'cancelled')",
            name="status_known",
        ),
        CheckConstraint("kind IN ('replay', 'calibration', 'what_if')", name="kind_known"),
        Index("ix_replay_run_created", "created_at"),
        Index("ix_replay_run_kind_policy", "kind", "policy_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    kind: Mapped[str] = mapped_column(String(20), default="replay", server_default="replay")
    policy_hash: Mapped[str | None] = mapped_column(String(64))  # the configuration judged
    requested_by: Mapped[str] = mapped_column(String(80))
    replica: Mapped[str | None] = mapped_column(String(120))  # which one ran it
    params: Mapped[dict[str, Any]] = mapped_column(JSONType)  # as asked, for the record
    config: Mapped[dict[str, Any] | None] = mapped_column(JSONType)  # what it ran with
    config_hash: Mapped[str | None] = mapped_column(String(64))
    data_from: Mapped[datetime] = mapped_column(UTCDateTime)
    data_to: Mapped[datetime] = mapped_column(UTCDateTime)
    progress: Mapped[float] = mapped_column(Float, default=0.0)  # 0..1
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duration_ms: Mapped[float | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(Text)
    problem: Mapped[dict[str, Any] | None] = mapped_column(JSONType)  # RFC 9457, when not done
    cancelled_by: Mapped[str | None] = mapped_column(String(80))  # who cancelled it (the audit)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
