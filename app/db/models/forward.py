"""The forward record: its state (one row), every shadow book's hourly equity, its trades, and
the daily decisions the forward rule reads."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Double, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.db.models.records import OneRowRecord
from app.db.types import JSONType, UTCDateTime


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
