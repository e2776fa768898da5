"""The live track record: what following the service's own decisions did since it was deployed,
beside the baselines."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import LiveEvidenceDep, ReaderDep
from app.api.response_cache import CachedRead
from app.schemas.common import problem_responses
from app.schemas.live import LiveEvidenceRead

router = APIRouter(prefix="/evidence", tags=["evidence"], responses=problem_responses(401, 403))


@router.get(
    "/live",
    dependencies=[CachedRead],
    response_model=LiveEvidenceRead,
    response_model_by_alias=True,
    summary="The live track record: the policy's decisions and the baselines marked hourly "
    "since the first decision, after costs, since inception and over 30 and 90 days",
    responses=problem_responses(404),
)
async def get_live_track_record(_: ReaderDep, evidence: LiveEvidenceDep) -> LiveEvidenceRead:
    return LiveEvidenceRead.model_validate(await evidence.document())
