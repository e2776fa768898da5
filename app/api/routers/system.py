"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import AppStateDep
from app.errors import DatabaseUnavailableError
from app.schemas.common import problem_responses
from app.schemas.system import Health, Status
from app.services.factory import status_service

router = APIRouter(tags=["system"])


@router.get("/health", response_model=Health, summary="Liveness: the process answers")
async def get_health(state: AppStateDep) -> Health:
    return status_service(state).health()


@router.get(
    "/status",
    response_model=Status,
    summary="Readiness: database, migrations and market-data source",
    responses=problem_responses(503),
)
async def get_status(state: AppStateDep) -> Status:
    status = await status_service(state).readiness()
    if not status.database.reachable:
        raise DatabaseUnavailableError(
            "The database is unreachable; retry shortly.",
            retry_after_s=state.settings.database.retry_after_s,
            extra={"checks": status.model_dump(mode="json")},
        )
    return status
