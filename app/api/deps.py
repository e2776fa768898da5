"""Request-scoped dependencies as `Annotated` aliases: the session, the caller, the services."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.api.response_cache import remember_role
from app.core.config import Role
from app.core.errors import AuthenticationError, PermissionDeniedError
from app.core.security import ANONYMOUS_READER, Principal, hash_key, role_permits
from app.core.security import presented_key as parse_presented_key
from app.db.failures import is_database_busy, is_database_unavailable
from app.services.alerts.service import AlertService
from app.services.factory import Services
from app.services.forward.read import ForwardEvidence
from app.services.market.universe import UniverseService
from app.services.portfolio.service import MySymbolsService
from app.services.replay.evidence import EvidenceService
from app.services.replay.service import ReplayService
from app.services.scoring.service import ScoringService
from app.services.signals.service import SignalService
from app.services.system.api_keys import ApiKeyService
from app.services.system.configuration import ConfigurationService
from app.services.trackrecord.read import LiveEvidence
from app.state import AppState

logger = logging.getLogger(__name__)

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)
bearer = HTTPBearer(
    auto_error=False,
    description="The same API key, for clients (such as "
    "freqtrade's RemotePairList) that can only send `Authorization: Bearer`.",
)


async def presented_key(
    request: Request,
    _x_api_key: Annotated[str | None, Security(api_key_header)] = None,
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)] = None,
) -> str | None:
    """The API key from `X-API-Key`, else from `Authorization: Bearer`, read by the parser the
    response cache uses too (`app.core.security.presented_key`); the two schemes are declared
    here for OpenAPI only."""
    return parse_presented_key(request.scope["headers"])


PresentedKey = Annotated[str | None, Depends(presented_key)]


# Dependencies are `async def` on purpose: FastAPI runs plain `def` ones in a thread pool,
# a thread hop per request that the hot read paths cannot afford.
async def get_app_state(request: Request) -> AppState:
    state: AppState = request.app.state.app_state
    return state


AppStateDep = Annotated[AppState, Depends(get_app_state)]


async def get_session(state: AppStateDep) -> AsyncIterator[AsyncSession]:
    """One transaction per request, committed before the response is sent."""
    async with state.sessionmaker() as session:
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


async def get_services(session: SessionDep, state: AppStateDep) -> Services:
    """The request's services, all in its one transaction (see `app.services.factory`)."""
    return Services(session, state)


ServicesDep = Annotated[Services, Depends(get_services)]


def service(name: str) -> Callable[[Services], Awaitable[Any]]:
    """A dependency answering the request's service `name` from the factory."""

    async def pick(services: ServicesDep) -> Any:
        return getattr(services, name)

    return pick


ApiKeyServiceDep = Annotated[ApiKeyService, Depends(service("api_keys"))]


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


async def get_session_source(state: AppStateDep) -> SessionSource:
    return SessionSource(state.sessionmaker)


SessionSourceDep = Annotated[SessionSource, Depends(get_session_source)]


async def authenticate(
    state: AppState,
    presented: str | None,
    required: Role,
    open_session: Callable[[], AbstractAsyncContextManager[AsyncSession]],
) -> Principal:
    """The caller behind `X-API-Key` with at least the `required` role (401 vs 403)."""
    open_reads = state.settings.auth.open_reads
    if not presented:
        if role_permits(None, required, open_reads=open_reads):
            return ANONYMOUS_READER
        raise AuthenticationError(
            "An API key is required in the X-API-Key header (or as Authorization: Bearer)."
        )
    principal = state.keyring.match(hash_key(presented))  # bootstrap keys need no database
    if principal is None:
        async with open_session() as session:
            principal = await Services(session, state).api_keys.authenticate(presented)
    if principal is None:
        raise AuthenticationError("The API key is unknown or revoked.")
    if not role_permits(principal.role, required, open_reads=open_reads):
        raise PermissionDeniedError(
            f"This action needs the '{required}' role; the key has '{principal.role}'.",
            extra={"required_role": required.value, "key_role": principal.role.value},
        )
    return principal


def require_role(required: Role) -> Callable[..., Awaitable[Principal]]:
    """A dependency that authenticates `X-API-Key` within the request's session."""

    async def authorise(
        request: Request, state: AppStateDep, session: SessionDep, presented: PresentedKey
    ) -> Principal:
        @asynccontextmanager
        async def request_session() -> AsyncIterator[AsyncSession]:
            yield session

        principal = await authenticate(state, presented, required, request_session)
        remember_role(request, principal.role)
        return principal

    return authorise


async def authorise_reader_lazily(
    request: Request, state: AppStateDep, sessions: SessionSourceDep, presented: PresentedKey
) -> Principal:
    """`read` role without a request session: a stored key opens one, a bootstrap key none."""
    principal = await authenticate(state, presented, Role.READ, sessions.open)
    remember_role(request, principal.role)
    return principal


async def authorise_reader_optionally(
    state: AppStateDep, sessions: SessionSourceDep, presented: PresentedKey
) -> Principal | None:
    """The caller with the `read` role, or None for one without a key (never a 401 then): for
    `/status`, whose probes carry no key. A stored key that cannot be checked because the
    database is down is no key either."""
    if not presented and not state.settings.auth.open_reads:
        return None
    try:
        return await authenticate(state, presented, Role.READ, sessions.open)
    except Exception as exc:
        if is_database_unavailable(exc) or is_database_busy(exc):
            logger.warning("status: the key is not checked, the database is down")
            return None
        raise


OptionalReaderDep = Annotated[Principal | None, Depends(authorise_reader_optionally)]


def key_still_valid(
    state: AppState, sessions: SessionSource, principal: Principal
) -> Callable[[], Awaitable[bool]] | None:
    """For a long-lived answer: a check that the caller's stored key is still valid (not
    revoked); None for bootstrap keys and anonymous readers, which cannot be revoked."""
    key_id = principal.api_key_id
    if key_id is None:
        return None

    async def still_valid() -> bool:
        try:
            async with sessions.open() as session:
                return await Services(session, state).api_keys.is_active(key_id)
        except Exception:  # the database blinked: keep serving, look again next time
            logger.warning("api keys: key %s not checked", key_id, exc_info=True)
            return True

    return still_valid


ReaderDep = Annotated[Principal, Depends(require_role(Role.READ))]
LazyReaderDep = Annotated[Principal, Depends(authorise_reader_lazily)]
TraderDep = Annotated[Principal, Depends(require_role(Role.TRADE))]
AdminDep = Annotated[Principal, Depends(require_role(Role.ADMIN))]


MySymbolsDep = Annotated[MySymbolsService, Depends(service("portfolio"))]
ScoringDep = Annotated[ScoringService, Depends(service("scoring"))]
UniverseDep = Annotated[UniverseService, Depends(service("universe"))]
SignalsDep = Annotated[SignalService, Depends(service("signals"))]
AlertServiceDep = Annotated[AlertService, Depends(service("alerts"))]
ReplaysDep = Annotated[ReplayService, Depends(service("replays"))]
EvidenceDep = Annotated[EvidenceService, Depends(service("evidence"))]
LiveEvidenceDep = Annotated[LiveEvidence, Depends(service("live_evidence"))]
ForwardEvidenceDep = Annotated[ForwardEvidence, Depends(service("forward_evidence"))]
ConfigurationDep = Annotated[ConfigurationService, Depends(service("configuration"))]
