"""Alerts: list, acknowledge, check now."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Query, Request

from app.alerts.conditions import ALERT_KINDS
from app.alerts.schemas import AlertCheckRead, AlertRead
from app.alerts.service import AlertService
from app.platform.http.auth import ReaderDep, TraderDep
from app.platform.http.resource import resource_router
from app.platform.http.response_cache import CachedRead
from app.platform.http.sessions import SessionDep, app_state
from app.platform.schemas.common import Offset, RowId, problem_responses

router = resource_router("/alerts", "alerts")

AlertKind = Literal[ALERT_KINDS]  # type: ignore[valid-type]


async def get_alert_service(request: Request, session: SessionDep) -> AlertService:
    """The request's alert service, in the request's one transaction."""
    return AlertService(session, app_state(request).gateway)


AlertServiceDep = Annotated[AlertService, Depends(get_alert_service)]


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
    """Each condition is one alert (its `fingerprint`), counted in `occurrences` each time a check
    finds it again. Filter by `status` and `kind`; page with `limit` and `offset`. Role: read."""
    return await alerts.list_alerts(status=status, kind=kind, limit=limit, offset=offset)


@router.post(
    "/{alert_id:id}/ack",
    response_model=AlertRead,
    summary="Acknowledge an alert (it stays until its condition clears)",
    responses=problem_responses(404, 409),
)
async def acknowledge_alert(
    alert_id: RowId, principal: TraderDep, alerts: AlertServiceDep
) -> AlertRead:
    """Records who acknowledged it and when. It stays listed, and the checks keep it, until its
    condition clears; acknowledging it again changes nothing, and a resolved alert is 409.
    Role: trade."""
    return AlertRead.model_validate(await alerts.acknowledge(alert_id, actor=principal.name))


@router.post(
    "/check",
    response_model=AlertCheckRead,
    summary="Check every alert condition now (the scheduler runs the same check)",
)
async def check_alerts(_: TraderDep, alerts: AlertServiceDep) -> AlertCheckRead:
    """The `alert_check` job's pass over the portfolio's conditions, now: it raises what is new,
    keeps what goes on and resolves what cleared, and answers their fingerprints. Role: trade."""
    return await alerts.check_portfolio_alerts()
