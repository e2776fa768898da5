"""The portfolio's allocation: target weights, rebalancing, position sizes."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query, Request, Response

from app.callers.dependencies import AnswerOnceDep
from app.platform.core.environment import Role
from app.platform.core.errors import PermissionDeniedError
from app.platform.http.auth import ReaderDep, TraderDep
from app.platform.http.resource import resource_router
from app.platform.http.response_cache import CachedRead
from app.platform.schemas.common import (
    MONEY_LIMIT,
    FiniteFloat,
    SymbolText,
    idempotent_responses,
    problem_responses,
)
from app.portfolio.dependencies import MySymbolsDep, RebalanceDep, actor_of
from app.portfolio.schemas.allocation import (
    PositionSizeRead,
    RebalanceRead,
    RebalanceRequest,
    WeightsRead,
)

router = resource_router("/portfolio", "portfolio")


@router.get(
    "/weights",
    dependencies=[CachedRead],
    response_model=WeightsRead,
    summary="Target weights: what the weighting method gives the current members now",
    responses=problem_responses(409, 422),
)
async def get_weights(
    _: ReaderDep,
    service: MySymbolsDep,
    method: Annotated[
        Literal[
            "score", "score_squared", "rank", "equal", "inverse_volatility", "risk_parity", "hrp"
        ]
        | None,
        Query(description="Override the configured weighting_method."),
    ] = None,
) -> WeightsRead:
    """What the configured method (`weighting_method`, or `?method=`) gives the current members from
    the latest scores and stored market data, within the weight caps, and what it read. These are
    targets: the members' own weights (`GET /portfolio`) move to them only when a rebalance or a
    membership change sets them. 409 when the caps cannot all hold or the market data is too short
    for the method. Role: read."""
    return await service.target_weights(method)


@router.post(
    "/rebalance",
    response_model=RebalanceRead,
    summary="Move to target weights (changes above the threshold) with an orders plan in lots",
    description="A scheduler target: send an `Idempotency-Key` and a retry (or a second replica "
    "receiving the same call) replays the first answer byte for byte instead of acting twice; "
    "while the first still runs it is 409 with `Retry-After`, and the same key with another body "
    "is 422.",
    responses=idempotent_responses(404),
)
async def rebalance_portfolio(
    body: RebalanceRequest,
    principal: TraderDep,
    request: Request,
    service: RebalanceDep,
    once: AnswerOnceDep,
) -> Response:
    if body.force and not principal.role.allows(Role.ADMIN):
        raise PermissionDeniedError(
            "force (rebalancing on stale inputs) needs the 'admin' role",
            extra={"required_role": "admin", "key_role": principal.role.value},
        )

    async def produce() -> RebalanceRead:
        return await service.rebalance_portfolio(
            dry_run=body.dry_run,
            account_balance=None if body.account_balance is None else float(body.account_balance),
            positions=body.positions,
            force=body.force,
            actor=actor_of(principal, request),
        )

    return await once.answer(principal, produce)


@router.get(
    "/position-size",
    dependencies=[CachedRead],
    response_model=PositionSizeRead,
    summary="Position size of a member for an account balance, in USDT and lots",
    responses=problem_responses(404, 422),
)
async def get_position_size(
    _: ReaderDep,
    service: RebalanceDep,
    symbol: Annotated[SymbolText, Query()],
    account_balance: Annotated[FiniteFloat, Query(gt=0, le=MONEY_LIMIT, description="USDT")],
    volatility_adjusted: bool = False,
) -> PositionSizeRead:
    """For a member: `account_balance` times its weight (percent), capped at `max_position_weight`,
    at its current price: the notional, whole lots and their notional, and the margin at the
    contract's maximum leverage; `volatility_adjusted` scales it by the member's realised volatility
    toward `target_volatility`, down only: the answer's `volatility_adjusted` says whether that
    reduced it, and `volatility_scale` by how much. 404 when the symbol is no member. Role: read."""
    return await service.get_position_size_for_symbol(
        symbol, account_balance, volatility_adjusted=volatility_adjusted
    )
