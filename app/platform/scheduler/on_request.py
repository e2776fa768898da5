"""Starting a job over the API: 202 with the run's `Location`, or with `?wait=`, the answer the
operation used to give synchronously (or its problem) once it ends in time."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from app.platform.core.errors import PROBLEM_TYPE_PREFIX, AppError, ShuttingDownError
from app.platform.core.security import Principal
from app.platform.db.models import JobRun
from app.platform.runs.job import Context, Job, RunInProgress
from app.platform.scheduler.schedule import RunsJobs, Stops
from app.platform.scheduler.schemas import JobRunRead
from app.platform.schemas.common import FiniteFloat

T = TypeVar("T")
MAX_WAIT_S = 60.0
Wait = Annotated[
    FiniteFloat | None,
    Query(
        ge=0,
        le=MAX_WAIT_S,
        description="Wait up to this many seconds for the run to end and answer with its "
        "result (or its problem), as before; still running then: 202.",
    ),
]
STANDARD = ("type", "title", "status", "detail")
# After a 503 `shutting-down`: by then this replica has recorded the run aborted (its graceful
# timeout and the runs' abort grace) and the load balancer sends elsewhere.
RETRY_AFTER_S = 5


class RunFailed(AppError):
    """A run that ended without success, answered with the problem it recorded."""

    def __init__(self, problem: dict[str, Any], location: str) -> None:
        headers = {"Location": location}
        if problem.get("retry_after_s") is not None:
            headers["Retry-After"] = str(problem["retry_after_s"])
        extra = {k: v for k, v in problem.items() if k not in STANDARD} | {"run_url": location}
        super().__init__(str(problem.get("detail", "")), extra=extra, headers=headers)
        self.status = int(problem.get("status", 500))
        self.slug = str(problem.get("type", "")).removeprefix(PROBLEM_TYPE_PREFIX)
        self.title = str(problem.get("title", "Run failed"))


def _skipped(run: JobRun) -> dict[str, Any]:
    return {
        "type": PROBLEM_TYPE_PREFIX + "run-skipped",
        "title": "Run skipped",
        "status": 409,
        "detail": run.error or f"{run.job} had nothing it may do",
    }


async def wait_unless_stopping(
    state: Stops, waiting: Awaitable[T], run_id: int, location: str
) -> T:
    """`waiting`'s result (a wait for run `run_id` to end); when the process starts stopping
    first, a 503 at once (uvicorn would otherwise cancel this request after its graceful
    timeout: a 500)."""
    waited = asyncio.ensure_future(waiting)
    stopping = asyncio.ensure_future(state.shutdown.wait())
    try:
        await asyncio.wait({waited, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (waited, stopping):
            task.cancel()
    if waited.done() and not waited.cancelled():
        return waited.result()
    raise ShuttingDownError(
        "This replica is stopping: the run will be recorded aborted and run again; follow it "
        "at `run_url`, or send the request again.",
        retry_after_s=RETRY_AFTER_S,
        extra={"run_id": run_id, "run_url": location},
        headers={"Location": location},
    )


def run_url(request: Request, run_id: int) -> str:
    return str(request.url_for("get_job_run", run_id=run_id).path)


async def run_job(
    request: Request,
    state: RunsJobs[Context],
    job: Job[Context],
    principal: Principal,
    wait: float | None,
    answer: Callable[[JobRun], Awaitable[BaseModel]],
) -> JSONResponse:
    """Start `job`: 202 with the run and its `Location`; with `wait`, once it succeeded in time,
    200 with `answer(run)` (the operation's old synchronous answer). A run already going: 409
    pointing at it; a run that ended otherwise in time (degraded, failed, aborted): its problem;
    skipped: 409 `run-skipped` saying why."""
    if state.shutdown.stopping:  # a run started now would be aborted in a moment
        raise ShuttingDownError(
            "This replica is stopping; send the request again.", retry_after_s=RETRY_AFTER_S
        )
    try:
        run = await state.jobs.submit(job, requested_by=principal.name)
    except RunInProgress as busy:
        location = run_url(request, busy.run_id)
        busy.extra["run_url"] = location
        busy.headers["Location"] = location
        raise
    location = run_url(request, run.id)
    if wait:
        run = await wait_unless_stopping(state, state.jobs.wait(run.id, wait), run.id, location)
    if run.status == "succeeded":
        body = (await answer(run)).model_dump(mode="json")
        return JSONResponse(body, headers={"Location": location})
    if run.status != "running":  # degraded, failed, aborted: its problem; skipped: why
        raise RunFailed(run.problem or _skipped(run), location)
    body = JobRunRead.model_validate(run).model_dump(mode="json")
    return JSONResponse(body, status_code=202, headers={"Location": location})
