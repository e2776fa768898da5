"""The live records' tables: the as-run record's (its state in one row, each book's hourly
equity, the decisions it traded; `track_record*`, named for the job that marks it) and the
forward record's (its state in one row, every shadow book's hourly equity, its trades, and the
daily decisions the forward rule reads), with the one-row shape both share."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Double, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.core.clock import utcnow
from app.platform.db.base import Base
from app.platform.db.types import JSONType, UTCDateTime

ROW_ID = 1  # the id of a record's one row


class OneRowRecord(Base):
    """The one row: where the record stands. Moved forward only by a compare-and-set on
    `last_hour`, so no hour is ever marked twice, whichever replica runs."""

    __abstract__ = True

    # A record's own columns (sort_order 0) sit between `last_hour` and `state`, in the order
    # its table was created with (a mixin's columns would otherwise follow the subclass's).
    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-1)  # always 1
    inception_at: Mapped[datetime] = mapped_column(UTCDateTime, sort_order=-1)
    last_hour: Mapped[datetime] = mapped_column(UTCDateTime, sort_order=-1)  # the last marked
    state: Mapped[dict[str, Any]] = mapped_column(JSONType, sort_order=1)  # its `to_json()`
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, sort_order=1)


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


class ForwardRecord(OneRowRecord):
    """The forward record's one row (`OneRowRecord`); `state`: `ForwardState.to_json()`."""

    __tablename__ = "forward_record"
    __table_args__ = (CheckConstraint("id = 1", name="forward_one_row"),)


class ForwardHour(Base):
    """A book's equity at one hour's close, before that hour's trades (1.0 until it trades)."""

    __tablename__ = "forward_hour"

    book: Mapped[str] = mapped_column(String(64), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    equity: Mapped[float] = mapped_column(Double)


class ForwardTrade(Base):
    """An hour a book traded at: its targets, what it traded and paid, the configuration and
    costs it traded under."""

    __tablename__ = "forward_trade"

    book: Mapped[str] = mapped_column(String(64), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    weights: Mapped[dict[str, float]] = mapped_column(JSONType)  # fractions by symbol
    turnover: Mapped[float] = mapped_column(Double)
    fees: Mapped[float] = mapped_column(Double)  # fraction of the book's equity at 1.0
    config_hash: Mapped[str] = mapped_column(String(64))
    fee_bps: Mapped[float] = mapped_column(Double)
    slippage_bps: Mapped[float] = mapped_column(Double)


class ForwardDay(Base):
    """A scoring book's daily decision, judged when its period ended: what the forward rule
    reads."""

    __tablename__ = "forward_day"

    book: Mapped[str] = mapped_column(String(64), primary_key=True)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    entry_at: Mapped[datetime] = mapped_column(UTCDateTime)
    following_at: Mapped[datetime] = mapped_column(UTCDateTime)
    book_return: Mapped[float | None] = mapped_column(Double, nullable=True)
    skill_ic: Mapped[float | None] = mapped_column(Double, nullable=True)
    universe_return: Mapped[float | None] = mapped_column(Double, nullable=True)
    config_hash: Mapped[str] = mapped_column(String(64))
    fee_bps: Mapped[float] = mapped_column(Double)
    slippage_bps: Mapped[float] = mapped_column(Double)
