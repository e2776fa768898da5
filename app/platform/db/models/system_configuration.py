"""The runtime settings' tables: each value an operator set (`system_configuration`; a setting
without a row is at its declared default) and the changes made over the API
(`configuration_change`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.platform.core.clock import utcnow
from app.platform.db.base import Base
from app.platform.db.types import JSONType, UTCDateTime


class SystemConfiguration(Base):
    """One runtime setting an operator set (portfolio limits, thresholds, intervals), as a JSON
    value, with who set it and when."""

    __tablename__ = "system_configuration"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONType)
    description: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(80))


class ConfigurationChange(Base):
    """One runtime setting changed over the API: who, when, old and new (append-only)."""

    __tablename__ = "configuration_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(80))
    request_id: Mapped[str | None] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(80))
    old_value: Mapped[Any] = mapped_column(JSONType, nullable=True)  # None: the row was missing
    new_value: Mapped[Any] = mapped_column(JSONType)
