"""Replays of the service's own history: request one, follow it, read its evidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request, Response, status

from app.lab.schemas import ReplayCreate, ReplayRead, ReplaySummary
from app.lab.service import ReplayService, replay_service
from app.platform.http.auth import ReaderDep, TraderDep
from app.platform.http.media import timeline_content, timeline_response, with_stored_json
from app.platform.http.rate_limit import charge_heavy
from app.platform.http.resource import resource_router
from app.platform.http.response_cache import CachedRead
from app.platform.http.sessions import SessionDep, app_state
from app.platform.schemas.common import RowId, problem_responses
from app.portfolio.schemas.timeline import TimelineRead
from app.portfolio.timeline_export import CSV_EXAMPLE

router = resource_router("/replays", "replays")


async def get_replay_service(request: Request, session: SessionDep) -> ReplayService:
    """The request's replays, in the request's one transaction."""
    return replay_service(session, app_state(request))


ReplaysDep = Annotated[ReplayService, Depends(get_replay_service)]


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ReplaySummary,
    summary="Replay the decision policy on the stored history, against baselines (background)",
    responses=problem_responses(409, 422),
)
async def create_replay(
    body: ReplayCreate,
    principal: TraderDep,
    replays: ReplaysDep,
    request: Request,
    response: Response,
) -> ReplaySummary:
    """The decision policy replayed over [`from`, `to`) of the stored history, one decision each
    `every` (`4h`, `24h`, `7d`, ...) for a portfolio of `top` members, beside the baselines, after
    `fee_bps` and `slippage_bps`, with `overrides` of its scoring and policy settings. 202 with
    the run and its `Location` (`/replays/{id}`): it runs in the evidence worker once the request
    commits. 409 when the history is too short, or this key already has its most runs queued or
    running (`MYSYMBOLS_REPLAYS__MAX_PENDING_PER_KEY`); 409 `scorer-not-installed` when the
    overrides weigh the learned scorer and its `learned` extra is not installed. Role: trade."""
    run = await replays.create(body, requested_by=principal.name)
    response.headers["Location"] = str(request.url_for("get_replay", run_id=run.id).path)
    return ReplaySummary.model_validate(run)  # the run starts once the request commits


@router.get(
    "",
    dependencies=[CachedRead],
    response_model=list[ReplaySummary],
    summary="Replays, newest first",
)
async def list_replays(
    _: ReaderDep, replays: ReplaysDep, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> list[ReplaySummary]:
    """Replay, calibration and what-if runs (`kind`), newest first, without their reports: status,
    progress, who asked, range and configuration hash. Role: read."""
    return [ReplaySummary.model_validate(r) for r in await replays.listing(limit)]


@router.get(
    "/{run_id:id}",
    dependencies=[CachedRead],
    response_model=ReplayRead,
    summary="One replay: status, progress and, when done, its report",
    responses=problem_responses(404),
)
async def get_replay(
    request: Request, run_id: RowId, _: ReaderDep, replays: ReplaysDep
) -> Response:
    """Its status and progress while it runs; once it succeeded, its configuration and its report
    (each strategy's figures after costs beside the baselines, selection skill, per-component IC). A
    report is megabytes for a long range: it counts as a heavy read. Role: read."""
    stored = await replays.get_as_stored(run_id)
    if stored.has_report:
        charge_heavy(request)  # megabytes to send: a report is a heavy read
    head = ReplaySummary.model_validate(stored.run)
    return with_stored_json(
        head, config=stored.config, report=stored.report, market_data=stored.market_data
    )


@router.delete(
    "/{run_id:id}",
    response_model=ReplaySummary,
    summary="Cancel a queued or running replay (the key that queued it, or an admin)",
    description="A queued run never starts; a running one stops at its next heartbeat (about a "
    "second). Either ends `cancelled` at once, recording who cancelled it in `cancelled_by`. "
    "403 for another trade key; 409 once the run has ended.",
    responses=problem_responses(404, 409),
)
async def cancel_replay(run_id: RowId, principal: TraderDep, replays: ReplaysDep) -> ReplaySummary:
    return ReplaySummary.model_validate(await replays.cancel(run_id, by=principal))


@router.get(
    "/{run_id:id}/timeline",
    dependencies=[CachedRead],
    response_model=TimelineRead,
    summary="A finished replay's dated membership, as JSON or CSV (the portfolio timeline's form)",
    description="The policy's members and weights at each decision; an interval lasts until the "
    "next decision that traded or changed them, or the replay's end. `reason`: exit:<code>, "
    "replaced, added or rebalance. Send `Accept: text/csv` for CSV. 409 until the run succeeded.",
    responses={**timeline_content(CSV_EXAMPLE), **problem_responses(404, 409)},
)
async def get_replay_timeline(
    request: Request, run_id: RowId, _: ReaderDep, replays: ReplaysDep
) -> Response:
    return timeline_response(request, await replays.timeline(run_id))
