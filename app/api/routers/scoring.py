"""Scoring: run now, rankings, per-symbol history, run details, the editable algorithm."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from app.api.deps import (
    AdminDep,
    ReaderDep,
    ScoringDep,
    ScoringRunsDep,
    TraderDep,
)
from app.schemas.common import problem_responses
from app.schemas.scoring import (
    AlgorithmRead,
    AlgorithmsUpdate,
    ComponentScoreRead,
    RankingItem,
    RankingsRead,
    ScoringRunDetail,
    ScoringRunRead,
    SymbolScoresEntry,
    SymbolScoresRead,
)
from app.services.scoring.service import AlgorithmChange

router = APIRouter(prefix="/scoring", tags=["scoring"], responses=problem_responses(401, 403))

Component = Literal["composite", "technical", "fundamental", "market_structure", "risk"]


@router.post(
    "/calculate",
    response_model=ScoringRunRead,
    summary="Score the universe now and return the run summary",
    responses=problem_responses(409, 503),
)
async def calculate_scores(principal: TraderDep, runs: ScoringRunsDep) -> ScoringRunRead:
    return ScoringRunRead.model_validate(await runs.calculate(triggered_by=principal.name))


@router.get(
    "/rankings",
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
    rankings = await scoring.rankings(limit=limit, component=component)
    return RankingsRead(
        run_id=rankings.run.id,
        scored_at=rankings.run.started_at,
        component=rankings.component,
        data_age_s=rankings.data_age_s,
        stale=rankings.stale,
        items=[RankingItem.model_validate(item, from_attributes=True) for item in rankings.items],
    )


@router.get(
    "/symbol/{symbol:path}/scores",
    response_model=SymbolScoresRead,
    summary="A symbol's scores with breakdowns over its newest runs (any symbol form)",
    responses=problem_responses(404, 422),
)
async def get_symbol_scores(
    symbol: str,
    _: ReaderDep,
    scoring: ScoringDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
) -> SymbolScoresRead:
    canonical, history = await scoring.symbol_scores(symbol, limit=limit)
    return SymbolScoresRead(
        symbol=canonical,
        history=[
            SymbolScoresEntry(
                run_id=entry.run.id,
                scored_at=entry.run.started_at,
                scores=[
                    ComponentScoreRead.model_validate(row)
                    for row in sorted(entry.rows, key=lambda r: r.component)
                ],
            )
            for entry in history
        ],
    )


@router.get(
    "/runs/{run_id}",
    response_model=ScoringRunDetail,
    summary="One scoring run: summary, exclusions with reasons, configuration",
    responses=problem_responses(404),
)
async def get_scoring_run(run_id: int, _: ReaderDep, scoring: ScoringDep) -> ScoringRunDetail:
    return ScoringRunDetail.model_validate(await scoring.get_run(run_id))


@router.get("/algorithms", response_model=list[AlgorithmRead], summary="Scoring components")
async def list_algorithms(_: AdminDep, scoring: ScoringDep) -> list[AlgorithmRead]:
    return [AlgorithmRead.model_validate(a) for a in await scoring.list_algorithms()]


@router.put(
    "/algorithms",
    response_model=list[AlgorithmRead],
    summary="Change component weights/parameters (active weights must sum to 1)",
    responses=problem_responses(422),
)
async def update_algorithms(
    body: AlgorithmsUpdate, principal: AdminDep, scoring: ScoringDep
) -> list[AlgorithmRead]:
    changes = [AlgorithmChange(**item.model_dump()) for item in body.algorithms]
    updated = await scoring.update_algorithms(changes, actor=principal.name)
    return [AlgorithmRead.model_validate(a) for a in updated]
