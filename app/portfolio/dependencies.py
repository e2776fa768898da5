"""The portfolio's services as the routes' dependencies, each in the request's one transaction,
and who the routes' writes are recorded as."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.callers.actor import Actor
from app.platform.core.security import Principal
from app.platform.http.sessions import SessionDep, app_state
from app.portfolio.membership import MembershipService
from app.portfolio.service import MySymbolsService, my_symbols_service


async def get_my_symbols_service(request: Request, session: SessionDep) -> MySymbolsService:
    """The request's portfolio service (`MySymbolsService`)."""
    return my_symbols_service(session, app_state(request))


async def get_membership_service(request: Request, session: SessionDep) -> MembershipService:
    """The request's membership changes (add, remove, replace)."""
    state = app_state(request)
    return MembershipService(session, state.gateway, state.prices)


MySymbolsDep = Annotated[MySymbolsService, Depends(get_my_symbols_service)]
MembershipDep = Annotated[MembershipService, Depends(get_membership_service)]


def actor_of(principal: Principal, request: Request) -> Actor:
    """Who a route's write is recorded as: the caller, with the request's id."""
    return Actor(principal.name, getattr(request.state, "request_id", None))
