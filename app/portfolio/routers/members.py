"""The managed portfolio: its members, their changes and replacement advice, the audit trail."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response

from app.callers.dependencies import AnswerOnceDep
from app.platform.http.auth import LazyReaderDep, ReaderDep, TraderDep
from app.platform.http.media import timeline_content, timeline_response
from app.platform.http.resource import resource_router
from app.platform.http.response_cache import CachedRead
from app.platform.http.sessions import SessionSourceDep, StateDep
from app.platform.schemas.common import (
    IsoDateTime,
    SymbolText,
    idempotent_responses,
    problem_responses,
)
from app.portfolio.dependencies import (
    AuditTrailDep,
    MySymbolsDep,
    ReplacementAdviceDep,
    actor_of,
)
from app.portfolio.reader import PORTFOLIO_JSON, PortfolioReadService
from app.portfolio.schemas.members import (
    AddSymbol,
    ChangeRead,
    HistoryRead,
    PortfolioRead,
    RemoveSymbol,
    ReplacementCandidatesRead,
    ReplaceSymbol,
)
from app.portfolio.schemas.timeline import TimelineRead
from app.portfolio.service import PortfolioState
from app.portfolio.timeline_export import CSV_EXAMPLE

router = resource_router("/portfolio", "portfolio")


CHANGE_ERRORS = problem_responses(404, 409, 422)


@router.get(
    "",
    dependencies=[CachedRead],
    response_model=PortfolioRead,
    summary="The members with weights, scores, prices and data age (or as of a past time)",
)
async def get_portfolio(
    _: LazyReaderDep,
    state: StateDep[PortfolioState],
    sessions: SessionSourceDep,
    as_of: Annotated[
        IsoDateTime | None, Query(description="Read the membership recorded at this time.")
    ] = None,
) -> Response:
    """Members by rank (the latest composite, best first), each with its weight as the last change
    set it (`weights_as_of`), its entry and current price (`price_source`), its performance since
    inclusion, whether it is a replacement candidate and from when, and how old its data is (`stale`
    past the runtime setting `stale_data_limit_s`). With `?as_of=`, the membership the audit trail
    recorded then (`reconstructed`). The trading engine's hot read. Role: read."""
    # The trading engine's hottest read: no request session (one is opened only on a cache
    # miss), and the service's view serialised as is (its fields are PortfolioRead's), without
    # model validation or FastAPI's second pass over the response.
    reads = PortfolioReadService(sessions.open, state.prices, state.portfolio_cache)
    view = await reads.get(as_of)
    return Response(PORTFOLIO_JSON.dump_json(view), media_type="application/json")


@router.get(
    "/timeline",
    dependencies=[CachedRead],
    response_model=TimelineRead,
    summary="The dated membership: one row per interval and member, as JSON or CSV",
    description="Built from the audit trail, so it holds from the first change recorded. Rows "
    "tile [from, to) without overlap per member, by interval then rank; an interval's weights "
    "sum to 100 (an empty portfolio has no rows); an interval still open ends at `to`. A `to` "
    "beyond now is now (`clamped_to_now` says so; a range wholly in the future holds no rows): "
    "nothing is held in the future. Send `Accept: text/csv` for CSV (a header line, then the "
    "same rows in the same order).",
    responses={**timeline_content(CSV_EXAMPLE), **problem_responses(422)},
)
async def get_timeline(
    request: Request,
    _: ReaderDep,
    trail: AuditTrailDep,
    start: Annotated[
        IsoDateTime | None,
        Query(
            alias="from",
            description="Start (default: the first audit row, at most the runtime setting "
            "timeline_max_days before `to`; a longer range is a 422).",
        ),
    ] = None,
    end: Annotated[
        IsoDateTime | None,
        Query(
            alias="to",
            description="End, after `from` (default: now; one beyond now is now, and the "
            "answer's `clamped_to_now` is true).",
        ),
    ] = None,
) -> Response:
    timeline = await trail.get_timeline(start, end)
    return timeline_response(request, timeline)


@router.post(
    "/add-symbol",
    response_model=ChangeRead,
    summary="Add an open, eligible, scored symbol (weights are recomputed)",
    responses=CHANGE_ERRORS,
)
async def add_symbol(
    body: AddSymbol,
    principal: TraderDep,
    request: Request,
    service: MySymbolsDep,
) -> ChangeRead:
    """An open, eligible contract the latest run scored, in any symbol form, with an optional
    `reason`: it joins, every member's weight is recomputed by the configured method, and one audit
    row records the change. 409 when the portfolio is full (`max_portfolio_symbols`), the symbol is
    a member already or it is not eligible (the problem says why); 404 for no such contract. Answers
    the change and the portfolio after it. Role: trade."""
    change = await service.add_symbol(
        body.symbol, reason=body.reason, actor=actor_of(principal, request)
    )
    return await service.answer(change)


@router.post(
    "/remove-symbol",
    response_model=ChangeRead,
    summary="Remove a member (ranks close up, weights are recomputed)",
    responses=CHANGE_ERRORS,
)
async def remove_symbol(
    body: RemoveSymbol,
    principal: TraderDep,
    request: Request,
    service: MySymbolsDep,
) -> ChangeRead:
    """The member leaves (its row stays, `removed`), the others' weights are recomputed, and one
    audit row records the change. 404 when it is no member. Answers the change and the portfolio
    after it. Role: trade."""
    change = await service.remove_symbol(
        body.symbol, reason=body.reason, actor=actor_of(principal, request)
    )
    return await service.answer(change)


@router.post(
    "/replace-symbol",
    response_model=ChangeRead,
    summary="Swap a member for an outsider atomically (the newcomer takes its rank)",
    description="Send an `Idempotency-Key` and a retry replays the first answer byte for byte "
    "instead of replacing twice; while the first still runs it is 409 with `Retry-After`, and "
    "the same key with another body is 422.",
    responses=idempotent_responses(404),
)
async def replace_symbol(
    body: ReplaceSymbol,
    principal: TraderDep,
    request: Request,
    service: MySymbolsDep,
    once: AnswerOnceDep,
) -> Response:
    async def produce() -> ChangeRead:
        change = await service.replace_symbol(
            body.old_symbol,
            body.new_symbol,
            reason=body.reason,
            actor=actor_of(principal, request),
        )
        return await service.answer(change)

    return await once.answer(principal, produce)


@router.get(
    "/history",
    dependencies=[CachedRead],
    response_model=list[HistoryRead],
    summary="The audit trail, newest first",
    responses=problem_responses(404, 422),
)
async def get_history(
    _: ReaderDep,
    trail: AuditTrailDep,
    since: Annotated[IsoDateTime | None, Query()] = None,
    symbol: Annotated[SymbolText | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[HistoryRead]:
    """Every change of the portfolio (add, remove, replace, rebalance), each with who made it
    (`actor`, `request_id`) and why, the ranks and weights before and after, and the portfolio it
    left (`details`). `since` and `symbol` narrow it (a symbol matches as the member or as the one
    it replaced). Role: read."""
    return await trail.get_history(since=since, symbol=symbol, limit=limit)


@router.get(
    "/replacement-candidates",
    dependencies=[CachedRead],
    response_model=ReplacementCandidatesRead,
    summary="Replacement recommendations with their reasons and blocking reasons",
)
async def get_replacement_candidates(
    _: ReaderDep, advice: ReplacementAdviceDep
) -> ReplacementCandidatesRead:
    """For the weakest members by score: the outsider that would take each one's place, the reasons
    for it, what blocks it now (the minimum holding time, the margin it must lead by, stale data)
    and whether it is actionable. Nothing here changes the portfolio: a replacement does
    (`POST /portfolio/replace-symbol`, or the autopilot when it is on). Role: read."""
    return await advice.evaluate_portfolio_replacement()
