"""The portfolio's services as the routes' dependencies, each in the request's one transaction
(the hot reads' in a session opened only when needed), and who the routes' writes are recorded
as."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.callers.actor import Actor
from app.platform.core.security import Principal
from app.platform.http.sessions import SessionDep, SessionSourceDep, app_state
from app.portfolio.analytics import AnalyticsService
from app.portfolio.audit_trail import AuditTrailService
from app.portfolio.reader import PortfolioReadService
from app.portfolio.rebalance import RebalanceService
from app.portfolio.replacement_advice import ReplacementAdviceService
from app.portfolio.service import MySymbolsService, PortfolioState, my_symbols_service


async def get_my_symbols_service(request: Request, session: SessionDep) -> MySymbolsService:
    """The request's membership changes (add, remove, replace) and target weights."""
    return my_symbols_service(session, app_state(request))


async def get_rebalance_service(request: Request, session: SessionDep) -> RebalanceService:
    """The request's rebalance and position sizes."""
    state: PortfolioState = app_state(request)
    return RebalanceService(session, state.gateway, state.prices)


async def get_analytics_service(request: Request, session: SessionDep) -> AnalyticsService:
    """The request's correlation, PnL reports, statistics and risk ratios."""
    state: PortfolioState = app_state(request)
    return AnalyticsService(session, state.gateway)


async def get_audit_trail_service(request: Request, session: SessionDep) -> AuditTrailService:
    """The request's audit trail: its rows and the timeline they make."""
    state: PortfolioState = app_state(request)
    return AuditTrailService(session, state.gateway)


async def get_replacement_advice_service(session: SessionDep) -> ReplacementAdviceService:
    """The request's replacement recommendations."""
    return ReplacementAdviceService(session)


async def get_portfolio_read_service(
    request: Request, sessions: SessionSourceDep
) -> PortfolioReadService:
    """The hot reads, a session opened only when the read cache cannot answer."""
    state: PortfolioState = app_state(request)
    return PortfolioReadService(sessions.open, state.prices, state.portfolio_cache)


MySymbolsDep = Annotated[MySymbolsService, Depends(get_my_symbols_service)]
RebalanceDep = Annotated[RebalanceService, Depends(get_rebalance_service)]
AnalyticsDep = Annotated[AnalyticsService, Depends(get_analytics_service)]
AuditTrailDep = Annotated[AuditTrailService, Depends(get_audit_trail_service)]
ReplacementAdviceDep = Annotated[ReplacementAdviceService, Depends(get_replacement_advice_service)]
PortfolioReadDep = Annotated[PortfolioReadService, Depends(get_portfolio_read_service)]


def actor_of(principal: Principal, request: Request) -> Actor:
    """Who a route's write is recorded as: the caller, with the request's id."""
    return Actor(principal.name, getattr(request.state, "request_id", None))
