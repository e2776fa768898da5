"""Operational tables: the job ledger."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Float,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.core.clock import utcnow
from app.platform.db.base import Base
from app.platform.db.types import JSONType, UTCDateTime


class JobRun(Base):
    """Ledger of the runs of every job, scheduled (one per job and tick, ever) or requested over
    the API (no tick); at most one of each job runs at a time, anywhere."""

    __tablename__ = "job_run"
    __table_args__ = (
        UniqueConstraint("job", "scheduled_tick"),
        CheckConstraint(
            "status IN ('running', 'succeeded', 'degraded', 'failed', 'skipped', 'aborted')",
            name="status_known",
        ),
        Index(
            "uq_job_run_running",
            "job",
            unique=True,
            postgresql_where=text("status = 'running'"),
            sqlite_where=text("status = 'running'"),
        ),
        Index("ix_job_run_job_id", "job", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(60))
    scheduled_tick: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: requested
    requested_by: Mapped[str | None] = mapped_column(String(80))
    replica: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(20), default="running")
    progress: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")  # 0..1
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duration_ms: Mapped[float | None] = mapped_column()
    result: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    problem: Mapped[dict[str, Any] | None] = mapped_column(JSONType)  # RFC 9457, when not done
    # Times its body ran: a busy database undoes an attempt, and the run is attempted again.
    attempts: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))

    @property
    def skip_reason(self) -> str | None:
        """Why a skipped run had nothing it may do: the ledger keeps it in `error`."""
        return self.error if self.status == "skipped" else None
