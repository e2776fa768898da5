"""`GET /status`: the readiness probe, and with a key the checks behind it."""

from __future__ import annotations

from typing import Protocol

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.operations.readiness_cache import SharedReadiness
from app.operations.schemas import ANONYMOUS_NOT_READY, Status
from app.operations.service import StatusContext, StatusService
from app.platform.http.auth import OptionalReaderDep
from app.platform.http.route_guard import ApiRoute
from app.platform.http.sessions import StateDep
from app.platform.schemas.common import problem_responses


class StatusRouteState(StatusContext, Protocol):
    """What `/status` takes from the app's state: the status, and its anonymous answer shared."""

    @property
    def anonymous_readiness(self) -> SharedReadiness: ...


router = APIRouter(route_class=ApiRoute, tags=["system"])


@router.get(
    "/status",
    response_model=Status,
    summary="Readiness: database, migrations and the first start; the checks with a key",
    description="`200` with `ready: true` when this replica should take traffic; `503` with "
    "`ready: false` when the database is unreachable, its migrations are not at head or the "
    "first start has not finished (a readiness probe needs no key). Without a key the answer "
    "is `status` and `ready` only; a key with the `read` role (or open reads) adds the checks: "
    "database, market-data source, jobs, first-start progress, KuCoin budget. The answer "
    "without a key is computed at most once a second and shared.",
    responses={
        503: {
            "model": Status,
            "description": "Not ready: the same document, `ready: false`.",
            "content": {"application/json": {"example": ANONYMOUS_NOT_READY}},
        },
        **problem_responses(401),
    },
    # The key is optional here: without one the answer is the short form, never a 401.
    openapi_extra={"security": [{}]},
)
async def get_status(state: StateDep[StatusRouteState], reader: OptionalReaderDep) -> JSONResponse:
    readiness = StatusService(state).readiness
    if reader is None:  # probes: one answer a second however many ask
        status = await state.anonymous_readiness.get(lambda: readiness(detailed=False))
    else:
        status = await readiness(detailed=True)
    body = status.model_dump(mode="json") if reader is not None else status.summary()
    if status.ready:
        return JSONResponse(body)
    retry = str(state.environment.database.retry_after_s)
    return JSONResponse(body, status_code=503, headers={"Retry-After": retry})
