"""The alerts' answers: an alert, and what one check raised, kept and resolved."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from app.platform.schemas.recorded import recorded_example


class AlertRead(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra=recorded_example("AlertRead"))

    id: int
    kind: str
    severity: str
    fingerprint: str
    status: str
    symbol: str | None
    message: str
    details: dict[str, Any]
    occurrences: int
    first_seen_at: datetime
    last_seen_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    resolved_at: datetime | None


class AlertCheckRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra=recorded_example("AlertCheckRead")
    )

    raised: list[str]
    ongoing: list[str]
    resolved: list[str]
