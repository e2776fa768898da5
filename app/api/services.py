"""The request's use-case services as `Annotated` aliases, each from a typed getter of the
factory (`app.services.factory.Services`), so that mypy checks every name and type."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request

from app.api.sessions import SessionDep, app_state
from app.services.factory import Services
from app.services.portfolio.service import PortfolioService

T = TypeVar("T")
Getter = Callable[[Services], Coroutine[Any, Any, T]]  # a dependency answering a service


async def get_services(request: Request, session: SessionDep) -> Services:
    """The request's services, all in its one transaction (see `app.services.factory`)."""
    return Services(session, app_state(request))


ServicesDep = Annotated[Services, Depends(get_services)]


def service(pick: Callable[[Services], T]) -> Getter[T]:
    """A dependency answering the request's service that `pick` takes from the factory."""

    async def get(services: ServicesDep) -> T:
        return pick(services)

    return get


get_portfolio_service: Getter[PortfolioService] = service(lambda s: s.portfolio)

PortfolioDep = Annotated[PortfolioService, Depends(get_portfolio_service)]
