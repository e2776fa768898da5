"""The scoring algorithm: the one in force, the presets, a change judged by a replay (or a
dry run of it), the changes applied."""

from __future__ import annotations

from typing import Annotated, Protocol

from fastapi import Depends, Path, Query, Request
from fastapi.responses import JSONResponse

from app.lab.algorithm_changes import AlgorithmChangeService, what_if_outcome
from app.lab.algorithms_in_force import AlgorithmService
from app.lab.models import ReplayRun
from app.lab.runner import ReplayRunner
from app.lab.schemas import (
    AlgorithmChangeRecord,
    AlgorithmsChangeRead,
    AlgorithmsInForceRead,
    ReplaySummary,
)
from app.lab.service import LabState, replay_service
from app.platform.core.errors import RUN_ABORTED
from app.platform.core.patterns import SNAKE_NAME
from app.platform.http.auth import AdminDep
from app.platform.http.resource import resource_router
from app.platform.http.response_cache import CachedAdminRead
from app.platform.http.sessions import SessionDep, SessionSourceDep, StateDep
from app.platform.runs.job import problem_of
from app.platform.scheduler.on_request import RunFailed, Wait, wait_unless_stopping
from app.platform.scheduler.schedule import Stops
from app.platform.schemas.common import problem_responses
from app.records.keeping.family import DEFAULT_PRESET, PRESETS
from app.scoring.schemas import (
    AlgorithmsUpdate,
    AlgorithmUpdate,
    PresetRead,
)


class JudgingState(LabState, Stops, Protocol):
    """What a change of the algorithm takes from the app's state: its what-if replay's runs."""

    @property
    def replays(self) -> ReplayRunner: ...


router = resource_router("/scoring", "scoring")


async def get_algorithm_service(session: SessionDep) -> AlgorithmService:
    """The request's scoring algorithm, in the request's one transaction."""
    return AlgorithmService(session)


AlgorithmsDep = Annotated[AlgorithmService, Depends(get_algorithm_service)]


@router.get(
    "/algorithms",
    dependencies=[CachedAdminRead],
    response_model=AlgorithmsInForceRead,
    summary="The scoring algorithm in force: its components, the preset it matches, and the "
    "recorded change (with its evidence) that put it there",
)
async def list_algorithms(_: AdminDep, algorithms: AlgorithmsDep) -> AlgorithmsInForceRead:
    """Each component's weight (the active ones sum to 1), parameters within its `parameters_schema`
    and whether it is active; `preset` names the preset the weights match (null: none) and
    `adopted_by` the recorded change, with its evidence, that put them in force. Role: admin."""
    return await algorithms.in_force()


@router.get(
    "/algorithms/presets",
    dependencies=[CachedAdminRead],
    response_model=list[PresetRead],
    summary="Named scoring configurations that `PUT /scoring/algorithms/presets/{name}` puts in "
    "force",
)
async def list_presets(_: AdminDep) -> list[PresetRead]:
    """Each preset's candidate, label, component weights and technical version; `is_default` marks
    the one in force on a fresh database. Role: admin."""
    return [
        PresetRead(
            name=name,
            candidate=candidate.name,
            label=candidate.label,
            weights=candidate.component_weights(),
            technical_version=candidate.technical_version,
            is_default=name == DEFAULT_PRESET,
        )
        for name, candidate in PRESETS.items()
    ]


@router.put(
    "/algorithms",
    response_model=AlgorithmsChangeRead,
    summary="Change component weights/parameters (active weights must sum to 1), judged by a "
    "replay of the stored history; ?dry_run=true only judges, as a background run",
    description="Applied: the replay runs in the evidence worker while the request holds no "
    "database connection, then the change is recorded with it (409 if the algorithm changed "
    "meanwhile; 409 `scorer-not-installed`, dry or not, for a change that weighs or configures "
    "the learned scorer where its `learned` extra is not installed: one that stops weighing it "
    "passes). Dry run: a `what_if` replay run, 202 with its Location (`/replays/{id}`); with "
    "?wait=, the judged proposal once the run ends in time. Too little stored history to judge: "
    "200 at once, with `evidence_unavailable` saying why.",
    responses={
        202: {"model": ReplaySummary, "description": "Dry run: the what-if run, queued."},
        **problem_responses(409, 422, 503),
    },
)
async def update_algorithms(
    body: AlgorithmsUpdate,
    principal: AdminDep,
    state: StateDep[JudgingState],
    sessions: SessionSourceDep,
    request: Request,
    dry_run: Annotated[
        bool, Query(description="Replay the proposal beside the current weights; change nothing.")
    ] = False,
    wait: Wait = None,
) -> JSONResponse:
    return await _change_algorithms(
        body.algorithms, principal, state, sessions, request, dry_run, wait
    )


@router.put(
    "/algorithms/presets/{name}",
    response_model=AlgorithmsChangeRead,
    summary="Put a named configuration in force (`seed`: the seed's weights and technical "
    "version 1), judged and recorded like `PUT /scoring/algorithms`",
    responses={
        202: {"model": ReplaySummary, "description": "Dry run: the what-if run, queued."},
        **problem_responses(404, 409, 422, 503),
    },
)
async def apply_preset(
    name: Annotated[str, Path(min_length=1, max_length=40, pattern=SNAKE_NAME)],
    principal: AdminDep,
    state: StateDep[JudgingState],
    sessions: SessionSourceDep,
    request: Request,
    dry_run: Annotated[
        bool, Query(description="Replay the preset beside the current weights; change nothing.")
    ] = False,
    wait: Wait = None,
) -> JSONResponse:
    """As `PUT /scoring/algorithms` with the preset's weights and parameters: judged by a replay of
    the stored history and recorded with that evidence, or with `?dry_run=true` only judged. 404 for
    an unknown name (`GET /scoring/algorithms/presets` lists them). Role: admin."""
    async with sessions.open() as session:
        changes = await AlgorithmService(session).preset_changes(name)
    return await _change_algorithms(changes, principal, state, sessions, request, dry_run, wait)


async def _change_algorithms(
    changes: list[AlgorithmUpdate],
    principal: AdminDep,
    state: StateDep[JudgingState],
    sessions: SessionSourceDep,
    request: Request,
    dry_run: bool,
    wait: float | None,
) -> JSONResponse:
    """The change judged and applied, or, dry, its what-if run followed as `?wait=` asks."""
    flow = AlgorithmChangeService(sessions.open)
    outcome = await flow.change(changes, actor=principal.name, dry_run=dry_run)
    if isinstance(outcome, ReplayRun):  # dry: committed, the run has started
        return await _dry_run_answer(request, state, sessions, outcome, wait)
    return JSONResponse(outcome.model_dump(mode="json"))


async def _dry_run_answer(
    request: Request,
    state: StateDep[JudgingState],
    sessions: SessionSourceDep,
    run: ReplayRun,
    wait: float | None,
) -> JSONResponse:
    """The judged proposal (200) once its run succeeded in time, else the run (202), or its
    problem when it failed or was aborted."""
    location = str(request.url_for("get_replay", run_id=run.id).path)
    if wait:
        await wait_unless_stopping(state, state.replays.ended(run.id, wait), run.id, location)
        async with sessions.open() as session:
            run = await replay_service(session, state).get(run.id)
    if run.status == "succeeded":
        body = what_if_outcome(run).model_dump(mode="json")
        return JSONResponse(body, headers={"Location": location})
    if run.status in ("failed", "aborted", "cancelled"):
        failed = problem_of(RuntimeError(run.error), run.id)  # its text stays in the run's row
        raise RunFailed(failed if run.status == "failed" else RUN_ABORTED, location)
    summary = ReplaySummary.model_validate(run).model_dump(mode="json")
    return JSONResponse(summary, status_code=202, headers={"Location": location})


@router.get(
    "/algorithms/changes",
    dependencies=[CachedAdminRead],
    response_model=list[AlgorithmChangeRecord],
    summary="Applied changes of the scoring algorithm, newest first, with their evidence",
)
async def list_algorithm_changes(
    _: AdminDep, algorithms: AlgorithmsDep, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> list[AlgorithmChangeRecord]:
    """Each applied change: who made it and when, the weights and parameters before and after, and
    the evidence that judged it (the replay's figures beside the baselines). Role: admin."""
    return await algorithms.algorithm_changes(limit)
