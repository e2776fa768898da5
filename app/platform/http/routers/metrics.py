"""`GET /metrics`: Prometheus text exposition (never a cached read: every scrape is fresh)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Response
from fastapi.responses import PlainTextResponse

from app.platform.core.environment_sections import MetricsEnvironment
from app.platform.core.paths import SCRAPE
from app.platform.http.auth import LazyReaderDep
from app.platform.http.json_body import JsonBodyRoute
from app.platform.http.scrape import CONTENT_TYPE, ScrapeState, render
from app.platform.http.sessions import StateDep
from app.platform.schemas.common import problem_responses

EXAMPLE = """\
# HELP mysymbols_http_requests_total HTTP requests answered, by route template, method and status.
# TYPE mysymbols_http_requests_total counter
mysymbols_http_requests_total{method="GET",route="/api/symbol-mgmt/portfolio",status="200"} 42.0
# HELP mysymbols_portfolio_members Active portfolio members.
# TYPE mysymbols_portfolio_members gauge
mysymbols_portfolio_members 10.0
"""
TEXT: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Prometheus text format 0.0.4.",
        "content": {"text/plain": {"schema": {"type": "string"}, "example": EXAMPLE}},
    }
}


async def _open() -> None:
    """Anyone may scrape (MYSYMBOLS_METRICS__ACCESS=open)."""


async def _reader(_: LazyReaderDep) -> None:
    """A key with the `read` role, as read routes (or none with MYSYMBOLS_AUTH__OPEN_READS)."""


def prometheus_router(environment: MetricsEnvironment) -> APIRouter:
    """The route, guarded as `environment.access` says (and documented so in OpenAPI)."""
    guard = _open if environment.access == "open" else _reader
    errors = {} if environment.access == "open" else problem_responses(401, 403)
    router = APIRouter(route_class=JsonBodyRoute, tags=["system"])

    @router.get(
        SCRAPE,
        response_class=PlainTextResponse,
        responses={**TEXT, **errors},
        dependencies=[Depends(guard)],
        summary="Prometheus metrics",
        description="Requests, job runs, KuCoin calls and rate limits, scoring runs, "
        "portfolio, market-data age, database pool, process memory and CPU; every family is in "
        "docs/operations.md, 'Monitoring'. Who may scrape: MYSYMBOLS_METRICS__ACCESS.",
    )
    async def get_metrics(state: StateDep[ScrapeState]) -> Response:
        return Response(await render(state), media_type=CONTENT_TYPE)

    return router
