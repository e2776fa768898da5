"""The managed portfolio, its append-only audit trail and the engine's reported performance."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.core.clock import utcnow
from app.platform.db.base import Base, check_one_of
from app.platform.db.types import ExactDecimal, JSONType, UTCDateTime

MEMBER_STATUSES = ("active", "removed")
HISTORY_ACTIONS = ("add", "remove", "replace", "weight_change", "rebalance")

ACTIVE_ONLY = text("status = 'active'")


class PortfolioMember(Base):
    """A symbol's membership of the portfolio; removed rows stay, so the history can be read."""

    __tablename__ = "portfolio_member"
    __table_args__ = (
        CheckConstraint("rank >= 1", name="rank_positive"),
        CheckConstraint("weight >= 0 AND weight <= 100", name="weight_percent"),
        check_one_of("status", MEMBER_STATUSES, name="status_known"),
        CheckConstraint(
            "(status = 'active' AND removed_at IS NULL) OR "
            "(status = 'removed' AND removed_at IS NOT NULL)",
            name="removed_at_matches_status",
        ),
        # Ranks and symbols are unique among *active* members; removed rows keep their old values.
        Index(
            "uq_portfolio_member_active_rank",
            "rank",
            unique=True,
            postgresql_where=ACTIVE_ONLY,
            sqlite_where=ACTIVE_ONLY,
        ),
        Index(
            "uq_portfolio_member_active_symbol",
            "symbol_id",
            unique=True,
            postgresql_where=ACTIVE_ONLY,
            sqlite_where=ACTIVE_ONLY,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    symbol_id: Mapped[int] = mapped_column(ForeignKey("symbol.id", ondelete="RESTRICT"))
    # Its seat, 1..n without holes: with the unique index and the trigger above (which still say
    # "rank", the column's first name: a rename would break the release still in service) it
    # holds active members to max_portfolio_symbols. It orders nothing the API shows: a
    # member's rank is by score (app.portfolio.policy.ranks).
    seat: Mapped[int] = mapped_column("rank", Integer)
    weight: Mapped[Decimal] = mapped_column(ExactDecimal(7, 4))
    status: Mapped[str] = mapped_column(String(10), default="active")
    included_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    entry_price: Mapped[Decimal | None] = mapped_column(ExactDecimal(28, 12))
    is_replacement_candidate: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class PortfolioHistory(Base):
    """Append-only audit row for every portfolio change (the database refuses UPDATE/DELETE)."""

    __tablename__ = "portfolio_history"
    __table_args__ = (check_one_of("action", HISTORY_ACTIONS, name="action_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(20))
    symbol: Mapped[str | None] = mapped_column(String(40), index=True)
    replaced_symbol: Mapped[str | None] = mapped_column(String(40))
    old_rank: Mapped[int | None] = mapped_column(Integer)
    new_rank: Mapped[int | None] = mapped_column(Integer)
    old_weight: Mapped[Decimal | None] = mapped_column(ExactDecimal(7, 4))
    new_weight: Mapped[Decimal | None] = mapped_column(ExactDecimal(7, 4))
    reason: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(80))
    request_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)


class PerformanceRecord(Base):
    """A PnL report from the trading engine for one symbol at one time."""

    __tablename__ = "performance_record"
    __table_args__ = (Index("ix_performance_record_symbol_time", "symbol_id", "recorded_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    symbol_id: Mapped[int] = mapped_column(ForeignKey("symbol.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    pnl: Mapped[Decimal] = mapped_column(ExactDecimal(28, 8))
    pnl_pct: Mapped[Decimal | None] = mapped_column(ExactDecimal(12, 6))
    notional: Mapped[Decimal | None] = mapped_column(ExactDecimal(28, 8))
    source: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
