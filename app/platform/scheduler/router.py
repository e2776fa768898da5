"""Jobs: the background jobs and their schedule, a job run now, a run's resource, the newest
runs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query, Request, status
from fastapi.responses import JSONResponse

from app.platform.core.errors import NotFoundError
from app.platform.core.patterns import SNAKE_NAME
from app.platform.db.models import JobRun
from app.platform.http.auth import AdminDep, ReaderDep
from app.platform.http.resource import resource_router
from app.platform.http.sessions import StateDep
from app.platform.scheduler import catalog
from app.platform.scheduler.on_request import Wait, run_job
from app.platform.scheduler.schedule import SchedulerState
from app.platform.scheduler.schemas import JobRead, JobRunRead
from app.platform.schemas.common import RowId, problem_responses

router = resource_router("/jobs", "jobs")

JobName = Annotated[str, Path(max_length=60, pattern=SNAKE_NAME, examples=["score_refresh"])]


@router.get(
    "",
    response_model=list[JobRead],
    summary="The background jobs: what each does, its period, whether it is scheduled here, "
    "its next tick and its newest runs",
)
async def list_jobs(
    _: ReaderDep,
    state: StateDep[SchedulerState[Any]],
    runs: Annotated[int, Query(ge=1, le=20, description="Newest runs shown per job.")] = 5,
) -> list[JobRead]:
    """From the one registry the scheduler runs: each job's interval and the runtime setting that
    sets it, whether this replica schedules it (`enabled`), its next aligned tick and its newest
    runs (`runs` of them), newest first. `POST /jobs/{name}/run` runs one now. Role: read."""
    return [
        JobRead(
            name=view.job.name,
            description=view.job.description,
            interval_s=view.interval_s,
            interval_key=view.job.interval_key,
            enabled=view.enabled,
            next_tick=view.next_tick,
            last_runs=[JobRunRead.model_validate(run) for run in view.last_runs],
        )
        for view in await catalog.list_jobs(state, runs)
    ]


@router.post(
    "/{name}/run",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobRunRead,
    summary="Run a job now, through the same runner as its ticks (202 with its Location); with "
    "?wait=, the run once it ends in time",
    responses={
        200: {"model": JobRunRead, "description": "With ?wait=: the run succeeded in time."},
        **problem_responses(404, 409, 502, 503),
    },
)
async def run_job_now(
    name: JobName,
    principal: AdminDep,
    state: StateDep[SchedulerState[Any]],
    request: Request,
    wait: Wait = None,
) -> JSONResponse:
    """Through the runner its ticks use, so it is claimed, recorded and bounded as a scheduled run
    is: 202 with the run and its `Location` (`/jobs/runs/{id}`); with `?wait=` (seconds, at most 60)
    200 with the run once it succeeded in time, or its problem. 409 `run-in-progress` while a run of
    the job goes on anywhere; 429 with `Retry-After` within `MYSYMBOLS_SCHEDULER__REQUEST_GAP_S`
    of the end of its last requested run; 404 for no such job (`GET /jobs` lists them). Role:
    admin."""
    job = state.schedule.find(name)
    if job is None:
        raise NotFoundError(f"there is no job {name!r}; GET /jobs lists them")

    async def the_run(run: JobRun) -> JobRunRead:
        return JobRunRead.model_validate(run)

    return await run_job(request, state, job, principal, wait, the_run)


@router.get(
    "/runs/{run_id:id}",
    response_model=JobRunRead,
    summary="One job run: status, progress, and once over, its result or its problem",
    responses=problem_responses(404),
)
async def get_job_run(
    run_id: RowId, _: ReaderDep, state: StateDep[SchedulerState[Any]]
) -> JobRunRead:
    """The `Location` a requested run answers with: read it until the run is over, then its result,
    or its problem when it did not succeed. Role: read."""
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
    state: StateDep[SchedulerState[Any]],
    job: Annotated[str | None, Query(max_length=60, pattern=SNAKE_NAME)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[JobRunRead]:
    """Scheduled and requested runs alike, newest first; `job` keeps one job's. Each with its
    status, progress, who asked (a key's name, `scheduler`, `bootstrap`) and, once over, its
    outcome. Role: read."""
    return [JobRunRead.model_validate(r) for r in await state.jobs.listing(job, limit)]
