"""The live as-run record: its state (one row), each book's hourly equity (`as_run`: the real
portfolio), and the decisions it traded."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Double, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.db.models.records import OneRowRecord
from app.db.types import JSONType, UTCDateTime


class TrackRecord(OneRowRecord):
    """The as-run record's one row (`OneRowRecord`); `state`: `TrackState.to_json()`."""

    __tablename__ = "track_record"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    last_audit_id: Mapped[int] = mapped_column(Integer)  # the last decision taken in


class TrackRecordHour(Base):
    """A book's equity at one hour's close (1.0 at inception, before the first trade)."""

    __tablename__ = "track_record_hour"

    strategy: Mapped[str] = mapped_column(String(20), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    equity: Mapped[float] = mapped_column(Double)
    gap: Mapped[bool] = mapped_column(Boolean, default=False)  # a held symbol's candle was missing


class TrackRecordDecision(Base):
    """An hour the as-run book traded at: the portfolio's targets (from the audit trail), who
    changed it and why, the configuration and costs in force, and what each book traded and
    paid."""

    __tablename__ = "track_record_decision"

    at: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    audit_id: Mapped[int] = mapped_column(Integer)  # the last audit row it takes in
    actor: Mapped[str] = mapped_column(Text)  # the audit rows' actors, "+"-joined
    reason: Mapped[str] = mapped_column(Text)
    config_hash: Mapped[str] = mapped_column(String(64))
    fee_bps: Mapped[float] = mapped_column(Double)  # track_record_fee_bps when marked
    slippage_bps: Mapped[float] = mapped_column(Double)  # track_record_slippage_bps when marked
    weights: Mapped[dict[str, float]] = mapped_column(JSONType)  # the portfolio's, fractions
    turnover: Mapped[dict[str, float]] = mapped_column(JSONType)  # by book
    fees: Mapped[dict[str, float]] = mapped_column(JSONType)
