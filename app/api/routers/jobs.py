"""Job runs: follow a run an API call started (its `Location`), list the newest runs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import AppStateDep, ReaderDep
from app.errors import NotFoundError
from app.schemas.common import RowId, problem_responses
from app.schemas.jobs import JobRunRead

router = APIRouter(prefix="/jobs", tags=["jobs"], responses=problem_responses(401, 403))


@router.get(
    "/runs/{run_id:int}",
    response_model=JobRunRead,
    summary="One job run: status, progress, and once over, its result or its problem",
    responses=problem_responses(404),
)
async def get_job_run(run_id: RowId, _: ReaderDep, state: AppStateDep) -> JobRunRead:
    try:
        return JobRunRead.model_validate(await state.jobs.get(run_id))
    except LookupError:
        raise NotFoundError(f"job run {run_id} does not exist") from None


@router.get(
    "/runs",
    response_model=list[JobRunRead],
    summary="Job runs, newest first (scheduled and requested alike)",
)
async def list_job_runs(
    _: ReaderDep,
    state: AppStateDep,
    job: Annotated[str | None, Query(max_length=60, pattern=r"^[a-z_]+$")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[JobRunRead]:
    return [JobRunRead.model_validate(r) for r in await state.jobs.listing(job, limit)]
