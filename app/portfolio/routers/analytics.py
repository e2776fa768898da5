"""The portfolio's analytics: correlation, reported PnL, statistics, risk ratios."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response

from app.callers.dependencies import AnswerOnceDep
from app.platform.http.auth import ReaderDep, TraderDep
from app.platform.http.resource import resource_router
from app.platform.http.response_cache import CachedHeavyRead, CachedRead
from app.platform.schemas.common import (
    FiniteFloat,
    idempotent_responses,
    problem_responses,
)
from app.portfolio.dependencies import AnalyticsDep, actor_of
from app.portfolio.schemas.analytics import (
    CorrelationRead,
    MetricsRead,
    PerformanceCreate,
    PerformanceRead,
    StatisticsRead,
)

router = resource_router("/portfolio", "portfolio")


@router.get(
    "/correlation",
    dependencies=[CachedHeavyRead],
    response_model=CorrelationRead,
    summary="Correlation of the members' hourly log returns: matrix, pairs, clusters, beta",
)
async def get_correlation(
    _: ReaderDep,
    service: AnalyticsDep,
    window: Annotated[int | None, Query(ge=24, le=2000, description="Hours.")] = None,
) -> CorrelationRead:
    """Over `window` hours of the members' hourly log returns (default: the runtime setting): the
    correlation matrix, the pairs above `correlation_limit`, the average, the groups that move
    together and each member's beta to BTC. A heavy read: after a change it may be answered
    `X-Cache: stale` for a few seconds while it is recomputed. Role: read."""
    return await service.check_portfolio_correlation(window)


@router.post(
    "/performance",
    response_model=PerformanceRead,
    summary="Report a member's PnL; returns its performance since inclusion",
    description="Send an `Idempotency-Key` and a retry replays the first answer byte for byte "
    "instead of recording the PnL twice; while the first still runs it is 409 with "
    "`Retry-After`, and the same key with another body is 422.",
    responses=idempotent_responses(404),
)
async def report_performance(
    body: PerformanceCreate,
    principal: TraderDep,
    request: Request,
    service: AnalyticsDep,
    once: AnswerOnceDep,
) -> Response:
    async def produce() -> PerformanceRead:
        return await service.update_performance_metrics(
            body.symbol,
            pnl=body.pnl,
            recorded_at=body.timestamp,
            pnl_pct=body.pnl_pct,
            notional=body.notional,
            actor=actor_of(principal, request),
        )

    return await once.answer(principal, produce)


@router.get(
    "/statistics",
    dependencies=[CachedRead],
    response_model=StatisticsRead,
    summary="Counts, weights, scores, concentration (HHI) and sector mix",
)
async def get_portfolio_statistics(_: ReaderDep, service: AnalyticsDep) -> StatisticsRead:
    """The member count and limit, each member's weight, the summary of their composites, the
    concentration (Herfindahl index and effective members) and the weight by sector. Role: read."""
    return await service.get_portfolio_analytics()


@router.get(
    "/metrics",
    dependencies=[CachedHeavyRead],
    response_model=MetricsRead,
    summary="Sharpe, Sortino, Calmar, max drawdown, VaR and ES of the current weights",
    responses=problem_responses(409, 422),
)
async def get_portfolio_metrics(
    _: ReaderDep,
    service: AnalyticsDep,
    window: Annotated[int, Query(ge=24, le=2000, description="Hours.")] = 720,
    level: Annotated[FiniteFloat, Query(ge=0.5, lt=1)] = 0.95,
) -> MetricsRead:
    """The portfolio at its current weights over `window` hours of stored hourly returns: Sharpe,
    Sortino and Calmar ratios, maximum drawdown, and VaR and expected shortfall at `level`. 409 when
    fewer than two hourly returns are stored in the window. A heavy read: after a change it may be
    answered `X-Cache: stale` for a few seconds. Role: read."""
    return await service.get_portfolio_metrics(window, level)
