"""Alerts: list, acknowledge, check now."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import BaseModel, ConfigDict

from app.api.auth import ReaderDep, TraderDep
from app.api.resource import resource_router
from app.api.response_cache import CachedRead
from app.api.services import AlertServiceDep
from app.schemas.common import Offset, RowId, problem_responses
from app.schemas.recorded import recorded_example
from app.services.alerts.conditions import ALERT_KINDS

router = resource_router("/alerts", "alerts")

AlertKind = Literal[ALERT_KINDS]  # type: ignore[valid-type]


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


@router.get(
    "",
    dependencies=[CachedRead],
    response_model=list[AlertRead],
    summary="Alerts, most recently seen first",
)
async def list_alerts(
    _: ReaderDep,
    alerts: AlertServiceDep,
    status: Literal["open", "acknowledged", "resolved"] | None = None,
    kind: AlertKind | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
) -> list[AlertRead]:
    rows = await alerts.list_alerts(status=status, kind=kind, limit=limit, offset=offset)
    return [AlertRead.model_validate(a) for a in rows]


@router.post(
    "/{alert_id:id}/ack",
    response_model=AlertRead,
    summary="Acknowledge an alert (it stays until its condition clears)",
    responses=problem_responses(404, 409),
)
async def acknowledge_alert(
    alert_id: RowId, principal: TraderDep, alerts: AlertServiceDep
) -> AlertRead:
    return AlertRead.model_validate(await alerts.acknowledge(alert_id, actor=principal.name))


@router.post(
    "/check",
    response_model=AlertCheckRead,
    summary="Check every alert condition now (the scheduler runs the same check)",
)
async def check_alerts(_: TraderDep, alerts: AlertServiceDep) -> AlertCheckRead:
    return AlertCheckRead.model_validate(await alerts.check_portfolio_alerts())
