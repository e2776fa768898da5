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
    summary="The live record: the real portfolio as run (`as_run`, every decision with its actor "
    "and reason) since its first decision, and the forward record (`forward`: the policy's "
    "shadow book, every challenger's and the baselines', with the forward rule's verdicts) "
    "since deployment; marked hourly after costs; 404 only before either exists",
    responses=problem_responses(404),
)
async def get_live_track_record(_: ReaderDep, evidence: LiveEvidenceDep) -> LiveEvidenceRead:
    return LiveEvidenceRead.model_validate(await evidence.document())


@router.get(
    "/live/challengers",
    dependencies=[CachedRead],
    response_model=ChallengersRead,
    summary="The registered challengers against the default under the forward rule (each one's "
    "hypothesis, daily decisions, skill-IC lead with its HAC standard error, paired alpha and "
    "verdict); the one the rule would adopt, never adopted by itself",
)
async def get_live_challengers(_: ReaderDep, forward: ForwardEvidenceDep) -> ChallengersRead:
    return ChallengersRead.model_validate(await forward.challengers())
