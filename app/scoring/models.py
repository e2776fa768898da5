"""Scoring: the editable algorithm, each run, and every per-symbol score with its breakdown."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.core.clock import utcnow
from app.platform.db.base import Base
from app.platform.db.types import ExactDecimal, JSONType, UTCDateTime


class ScoringAlgorithm(Base):
    """A scoring component (technical, fundamental, …) with its composite weight and parameters."""

    __tablename__ = "scoring_algorithm"
    __table_args__ = (CheckConstraint("weight >= 0 AND weight <= 1", name="weight_fraction"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    weight: Mapped[Decimal] = mapped_column(ExactDecimal(6, 4))
    parameters: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    description: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(80))


class ScoringConfigChange(Base):
    """A change of the scoring algorithm: before, after, and the replay evidence it was made
    with (None when the stored history could not replay it)."""

    __tablename__ = "scoring_config_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(80))
    before: Mapped[dict[str, Any]] = mapped_column(JSONType)
    after: Mapped[dict[str, Any]] = mapped_column(JSONType)
    evidence: Mapped[dict[str, Any] | None] = mapped_column(JSONType)


class ScoringRun(Base):
    """One scoring pass over the universe: what went in, what was excluded and why, how long."""

    __tablename__ = "scoring_run"
    __table_args__ = (
        CheckConstraint("status IN ('running', 'completed', 'failed')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="running")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    universe_size: Mapped[int] = mapped_column(Integer, default=0)
    scored_count: Mapped[int] = mapped_column(Integer, default=0)
    excluded_count: Mapped[int] = mapped_column(Integer, default=0)
    exclusions: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    data_source: Mapped[str] = mapped_column(String(200))
    config_hash: Mapped[str | None] = mapped_column(String(64))
    config: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # Tens to hundreds of KB: loaded only where asked for (`undefer`), an error anywhere else.
    inputs: Mapped[dict[str, Any] | None] = mapped_column(
        JSONType, deferred=True, deferred_raiseload=True
    )
    """Everything the scorer read besides stored candles, so the run can be re-scored."""
    duration_ms: Mapped[float | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(Text)
    triggered_by: Mapped[str | None] = mapped_column(String(80))
    spend: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    """KuCoin weight planned and spent by endpoint, and seconds the limiter held sends."""


class SymbolScore(Base):
    """One component score (or the composite) for one symbol in one run, with its breakdown."""

    __tablename__ = "symbol_score"
    __table_args__ = (
        UniqueConstraint("run_id", "symbol_id", "component"),
        CheckConstraint("score >= 0 AND score <= 100", name="score_range"),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("scoring_run.id", ondelete="CASCADE"))
    symbol_id: Mapped[int] = mapped_column(ForeignKey("symbol.id", ondelete="CASCADE"), index=True)
    component: Mapped[str] = mapped_column(String(40))
    score: Mapped[Decimal] = mapped_column(ExactDecimal(7, 4))
    confidence: Mapped[Decimal] = mapped_column(ExactDecimal(5, 4))
    breakdown: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
