"""`GET /health`: the liveness probe."""

from __future__ import annotations

from fastapi import APIRouter

from app.operations.schemas import Health
from app.operations.service import StatusContext, StatusService
from app.platform.http.route_guard import ApiRoute
from app.platform.http.sessions import StateDep

router = APIRouter(route_class=ApiRoute, tags=["system"])


@router.get("/health", response_model=Health, summary="Liveness: the process answers")
async def get_health(state: StateDep[StatusContext]) -> Health:
    """200 while the process serves requests. It reads nothing (no database, no key, no rate limit),
    so a liveness probe restarts only a process that stopped answering; whether this replica should
    take traffic is `GET /status`."""
    return StatusService(state).health()
