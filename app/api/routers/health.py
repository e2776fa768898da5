"""`GET /health`: the liveness probe."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.route_guard import ApiRoute
from app.api.sessions import AppStateDep
from app.schemas.system import Health
from app.services.factory import status_service

router = APIRouter(route_class=ApiRoute, tags=["system"])


@router.get("/health", response_model=Health, summary="Liveness: the process answers")
async def get_health(state: AppStateDep) -> Health:
    return status_service(state).health()
