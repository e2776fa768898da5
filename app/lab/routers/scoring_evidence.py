"""The walk-forward evidence of the scoring configuration in force: the latest, and a refresh."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Query, Request, Response, status

from app.lab.calibration.calibration_report import CalibrationReport
from app.lab.schemas import EvidenceRead, ReplaySummary
from app.lab.scoring_calibration import ScoringCalibrationService
from app.platform.http.auth import AdminDep, ReaderDep
from app.platform.http.resource import resource_router
from app.platform.http.response_cache import CachedRead
from app.platform.http.sessions import SessionDep
from app.platform.schemas.common import problem_responses

router = resource_router("/scoring", "scoring")


async def get_scoring_calibration_service(session: SessionDep) -> ScoringCalibrationService:
    """The request's walk-forward evidence, in the request's one transaction."""
    return ScoringCalibrationService(session)


ScoringCalibrationDep = Annotated[
    ScoringCalibrationService, Depends(get_scoring_calibration_service)
]


@router.get(
    "/evidence",
    dependencies=[CachedRead],
    response_model=EvidenceRead,
    summary="The latest walk-forward evidence for the configuration in force: out-of-sample "
    "figures after costs beside every baseline, IC per component, the verdict",
    responses=problem_responses(404),
)
async def get_scoring_evidence(
    _: ReaderDep, evidence: ScoringCalibrationDep, request: Request
) -> EvidenceRead:
    """From the newest walk-forward calibration of the configuration in force (requested with
    `POST /scoring/evidence/refresh`, or weekly by the scheduler): the data range, the
    out-of-sample figures after costs of the configuration and of every baseline, each component's
    IC with its t, and the verdict. 404 until one has finished. Role: read."""
    run, current = await evidence.latest()
    # The JSON column holds the calibration's report as `calibrate` wrote it.
    report = cast(CalibrationReport, run.report or {})
    return EvidenceRead(
        run_id=run.id,
        computed_at=run.finished_at or run.created_at,
        policy_hash=current,
        report_url=str(request.url_for("get_replay", run_id=run.id).path),
        data=report["data"],
        calibration=report["calibration"],
        out_of_sample={k: v for k, v in report["strategies"].items()},
        ic={"active": report["ic_default"], "calibrated": report["ic"]},
        verdict=report["verdict"],
        selection=report.get("selection"),
    )


@router.post(
    "/evidence/refresh",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ReplaySummary,
    summary="Calibrate walk-forward on the whole stored history now (background run)",
    responses=problem_responses(409, 422),
)
async def refresh_evidence(
    principal: AdminDep,
    evidence: ScoringCalibrationDep,
    request: Request,
    response: Response,
    learned: Annotated[
        bool, Query(description="Also train the learned scorer per fold and let it be weighed.")
    ] = False,
) -> ReplaySummary:
    """Queues a walk-forward calibration over the whole stored history, as the scheduler does every
    `evidence_refresh_interval_s`: 202 with the run and its `Location` (`/replays/{id}`);
    `GET /scoring/evidence` answers from it once it succeeded. `learned` also trains the learned
    scorer in each fold (409 `scorer-not-installed` without its `learned` extra: `pip install
    'mysymbols[learned]'`). 409 while one is queued or running. Role: admin."""
    run = await evidence.request_refresh(requested_by=principal.name, learned=learned)
    response.headers["Location"] = str(request.url_for("get_replay", run_id=run.id).path)
    return ReplaySummary.model_validate(run)  # the run starts once the request commits
