"""Scoring: run now, the rankings, a symbol's scores over its newest runs, a run's details."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal, Protocol

from fastapi import Depends, Query, Request, status
from fastapi.responses import JSONResponse

from app.kucoin.gateway import WithGateway
from app.platform.db.models import JobRun
from app.platform.http.auth import ReaderDep, TraderDep
from app.platform.http.resource import resource_router
from app.platform.http.response_cache import CachedRead
from app.platform.http.sessions import SessionDep, SessionSourceDep, StateDep, app_state
from app.platform.scheduler.on_request import Wait, run_job
from app.platform.scheduler.schedule import RunsJobs
from app.platform.scheduler.schemas import JobRunRead
from app.platform.schemas.common import RowId, SymbolPath, problem_responses
from app.scoring.jobs import SCORE_REFRESH, RefreshState
from app.scoring.schemas import (
    RankingsRead,
    ScoringRunDetail,
    ScoringRunRead,
    SymbolScoresRead,
)
from app.scoring.scorers.components import COMPONENTS
from app.scoring.service import ScoringService


class RefreshRouteState(RunsJobs[RefreshState], WithGateway, Protocol):
    """What a requested score refresh takes from the app's state."""


router = resource_router("/scoring", "scoring")


async def get_scoring_service(request: Request, session: SessionDep) -> ScoringService:
    """The request's scoring reads, in the request's one transaction."""
    return ScoringService(session, app_state(request).gateway)


ScoringDep = Annotated[ScoringService, Depends(get_scoring_service)]

if TYPE_CHECKING:
    Component = str
else:  # the composite or a built-in component, as `COMPONENTS` declares them
    Component = Literal[("composite", *COMPONENTS)]


@router.post(
    "/calculate",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobRunRead,
    summary="Score the universe now (a `score_refresh` job run: 202 with its Location); with "
    "?wait=, the scoring run's summary once it ends in time",
    responses={
        200: {"model": ScoringRunRead, "description": "With ?wait=: the run ended in time."},
        **problem_responses(409, 503),
    },
)
async def calculate_scores(
    principal: TraderDep,
    state: StateDep[RefreshRouteState],
    sessions: SessionSourceDep,
    request: Request,
    wait: Wait = None,
) -> JSONResponse:
    """Scores the universe and proposes the replacements the new scores justify, as the scheduled
    `score_refresh` job does, through its runner: 202 with the run and its `Location`
    (`/jobs/runs/{id}`); with `?wait=` (seconds, at most 60) the scoring run's summary once it ends
    in time. 409 `run-in-progress` while a refresh runs anywhere; 429 with `Retry-After` within
    `MYSYMBOLS_SCHEDULER__REQUEST_GAP_S` of the end of the last requested one, whoever asked; 503
    `exchange-unavailable` when KuCoin kept it from scoring. Role: trade."""

    async def scoring_run(run: JobRun) -> ScoringRunRead:
        async with sessions.open() as session:
            scored = await ScoringService(session, state.gateway).get_run(int(run.result["run_id"]))
        return ScoringRunRead.model_validate(scored)

    return await run_job(request, state, SCORE_REFRESH, principal, wait, scoring_run)


@router.get(
    "/rankings",
    dependencies=[CachedRead],
    response_model=RankingsRead,
    summary="Symbols of the latest run, best first, by composite or one component",
    responses=problem_responses(404, 422),
)
async def get_rankings(
    _: ReaderDep,
    scoring: ScoringDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    component: Component = "composite",
) -> RankingsRead:
    """The latest run that scored anything: its contracts best first by the composite (or by one
    `component`), each with its component scores, confidence and data age; `stale` once the run is
    older than `stale_data_limit_s`. 404 before any run scored. Role: read."""
    return await scoring.rankings(limit=limit, component=component)


@router.get(
    "/symbol/{symbol:path}/scores",
    dependencies=[CachedRead],
    response_model=SymbolScoresRead,
    summary="A symbol's scores with breakdowns over its newest runs (any symbol form)",
    responses=problem_responses(404, 422),
)
async def get_symbol_scores(
    symbol: SymbolPath,
    _: ReaderDep,
    scoring: ScoringDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
) -> SymbolScoresRead:
    """The contract's category and what decided it, whether it is excluded and why, and its scores
    in its `limit` newest runs, each component's metrics with raw value, normalised value, weight
    and contribution. 404 for no such contract. Role: read."""
    return await scoring.symbol_scores(symbol, limit=limit)


@router.get(
    "/runs/{run_id:id}",
    dependencies=[CachedRead],
    response_model=ScoringRunDetail,
    summary="One scoring run: summary, exclusions with reasons, configuration",
    responses=problem_responses(404),
)
async def get_scoring_run(run_id: RowId, _: ReaderDep, scoring: ScoringDep) -> ScoringRunDetail:
    """Its universe and how many it scored, the excluded contracts by reason code, and the
    configuration it scored with, with that configuration's hash. 404 for no such run. Role: read.
    """
    return ScoringRunDetail.model_validate(await scoring.get_run(run_id))
