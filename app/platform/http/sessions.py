"""Request-scoped database dependencies as `Annotated` aliases: the app state, the request's
one transaction, and a session opened only when a hot read path turns out to need one."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.state import AppState

logger = logging.getLogger(__name__)


def app_state(request: Request) -> AppState:
    """The app's long-lived objects. The dependencies below read them through this, not
    through `AppStateDep`: FastAPI analyses a route's whole dependency graph again in every app
    (each test builds one), and `AppStateDep` sat in four of its branches."""
    state: AppState = request.app.state.app_state
    return state


# Dependencies are `async def` on purpose: FastAPI runs plain `def` ones in a thread pool,
# a thread hop per request that the hot read paths cannot afford.
async def get_app_state(request: Request) -> AppState:
    return app_state(request)


AppStateDep = Annotated[AppState, Depends(get_app_state)]


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request, committed before the response is sent."""
    async with app_state(request).sessionmaker() as session:
        try:
            yield session
            await session.commit()  # the sessionmaker's hook drops this replica's caches
        except BaseException:
            await rollback_quietly(session)
            raise


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
        async with self.sessionmaker() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await rollback_quietly(session)
                raise


async def get_session_source(request: Request) -> SessionSource:
    return SessionSource(app_state(request).sessionmaker)


SessionSourceDep = Annotated[SessionSource, Depends(get_session_source)]
