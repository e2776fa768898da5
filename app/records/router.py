"""The live record: what the real portfolio, as it was run, did since its first decision, and
the forward record: the automated policy's shadow book beside every registered challenger's and
the baselines', since deployment."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from app.platform.http.auth import ReaderDep
from app.platform.http.resource import resource_router
from app.platform.http.response_cache import CachedRead
from app.platform.http.sessions import SessionDep
from app.platform.schemas.common import problem_responses
from app.records.as_run_read import LiveEvidenceService
from app.records.forward_read import ForwardEvidenceService
from app.records.schemas import ChallengersRead, LiveEvidenceRead

router = resource_router("/evidence", "evidence")


async def get_live_evidence(session: SessionDep) -> LiveEvidenceService:
    """The request's as-run record read, in the request's one transaction."""
    return LiveEvidenceService(session)


async def get_forward_evidence(session: SessionDep) -> ForwardEvidenceService:
    """The request's forward record read, in the request's one transaction."""
    return ForwardEvidenceService(session)


LiveEvidenceDep = Annotated[LiveEvidenceService, Depends(get_live_evidence)]
ForwardEvidenceDep = Annotated[ForwardEvidenceService, Depends(get_forward_evidence)]


@router.get(
    "/live",
    dependencies=[CachedRead],
    response_model=LiveEvidenceRead,
    response_model_by_alias=True,
    summary="The live record: the real portfolio as run, and the policy's forward record",
    responses=problem_responses(404),
)
async def get_live_track_record(_: ReaderDep, evidence: LiveEvidenceDep) -> LiveEvidenceRead:
    """`as_run`: the real portfolio as it was run since its first decision, each decision with its
    actor (an API key's name, `scheduler`, `autopilot`) and reason, marked hourly after costs.
    `forward`: the automated policy's shadow book beside every registered challenger's and the
    baselines', since deployment, with the forward rule's verdicts. 200 as soon as either exists
    (the other null; `marked_to` null before the first mark), 404 before. Role: read."""
    return await evidence.document()


@router.get(
    "/live/challengers",
    dependencies=[CachedRead],
    response_model=ChallengersRead,
    summary="The registered challengers against the default, under the forward rule",
)
async def get_live_challengers(_: ReaderDep, forward: ForwardEvidenceDep) -> ChallengersRead:
    """Each challenger's hypothesis, its daily decisions, its skill-IC lead over the default with
    the HAC standard error, the paired alpha and the verdict with its reasons; `adopt` names the one
    the rule would adopt. Nothing is adopted by itself: an admin adopts it with
    `PUT /scoring/algorithms`. Role: read."""
    return await forward.challengers()
