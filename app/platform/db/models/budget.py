"""The KuCoin weight every replica of a deployment spent: one shared window (PostgreSQL)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.db.base import Base
from app.platform.db.types import UTCDateTime


class ExchangeWeight(Base):
    """One send's weight in a pool, at the database's clock (rows older than a window go)."""

    __tablename__ = "exchange_weight"
    __table_args__ = (Index("ix_exchange_weight_pool_spent_at", "pool", "spent_at"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    pool: Mapped[str] = mapped_column(String(200))
    """The KuCoin host whose quota this is (its futures URL)."""
    spent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    weight: Mapped[int] = mapped_column(Integer)
    replica: Mapped[str] = mapped_column(String(80))
