"""Request-scoped database dependencies as `Annotated` aliases: the app state, the request's
one transaction, and a session opened only when a hot read path turns out to need one.

The app's state is the wiring's (`app.state.AppState`); a reader names what it takes of it as a
protocol beside it, `StateDep[ItsProtocol]`, as a service does: the platform knows no domain's."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any, Protocol, TypeVar

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.platform.runs.run_engine import Sessions

logger = logging.getLogger(__name__)


State = TypeVar("State")


class WithSessions(Protocol):
    """Where the request's sessions come from."""

    @property
    def sessionmaker(self) -> async_sessionmaker[AsyncSession]: ...

    @property
    def run_sessions(self) -> Sessions | None: ...


def app_state(request: Request) -> Any:
    """The app's long-lived objects, typed by the caller (`state: ItsProtocol = app_state(r)`).
    The dependencies below read them through this, not through `StateDep`: FastAPI analyses a
    route's whole dependency graph again in every app (each test builds one), and the state's
    dependency sat in four of its branches."""
    return request.app.state.app_state


# Dependencies are `async def` on purpose: FastAPI runs plain `def` ones in a thread pool,
# a thread hop per request that the hot read paths cannot afford.
async def get_app_state(request: Request) -> Any:
    return app_state(request)


StateDep = Annotated[State, Depends(get_app_state)]
"""The app's state as a route's parameter, typed as the protocol the route takes of it."""


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request, committed before the response is sent."""
    state: WithSessions = app_state(request)
    async with SessionSource(state.sessionmaker).open() as session:
        yield session


async def rollback_quietly(session: AsyncSession) -> None:
    """Roll back, tolerating a connection that is already gone (the original error matters)."""
    try:
        await session.rollback()
    except Exception:
        logger.debug("rollback failed on a broken connection", exc_info=True)


# scope="function": the commit runs before the response goes out, so a failed commit can't be a 200.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


class SessionSource:
    """A session opened only if the request turns out to need the database (hot read paths)."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.sessionmaker = sessionmaker

    @asynccontextmanager
    async def open(self) -> AsyncIterator[AsyncSession]:
        """A session committed when the block ends (the sessionmaker's hook then drops this
        replica's caches), rolled back when it raises."""
        async with self.sessionmaker() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await rollback_quietly(session)
                raise


async def get_session_source(request: Request) -> SessionSource:
    state: WithSessions = app_state(request)
    return SessionSource(state.sessionmaker)


SessionSourceDep = Annotated[SessionSource, Depends(get_session_source)]
