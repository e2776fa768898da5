"""Authentication as `Annotated` role dependencies: who presents which key (`X-API-Key` or
`Authorization: Bearer`; different keys are a 400), and whether its role may read, trade or
administer. A route that takes a body has its caller checked before the body is read
(`authenticate_first`, run by `app.platform.http.route_guard`), and again by its dependency."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Annotated, Any, Protocol

from fastapi import Depends, Request, Security
from fastapi.dependencies.models import Dependant
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from app.platform.core.environment import Environment, Role
from app.platform.core.errors import (
    AuthenticationError,
    ConflictingCredentialsError,
    PermissionDeniedError,
)
from app.platform.core.headers import API_KEY
from app.platform.core.security import (
    ANONYMOUS_READER,
    BEARER,
    BootstrapKeyring,
    Credentials,
    Principal,
    hash_key,
    presented_credentials,
    role_permits,
)
from app.platform.db.failures import is_database_busy, is_database_unavailable
from app.platform.http.response_cache import remember_role
from app.platform.http.sessions import (
    SessionDep,
    SessionSource,
    SessionSourceDep,
    WithSessions,
    app_state,
)

logger = logging.getLogger(__name__)


class StoredKeys(Protocol):
    """The stored API keys, read in a session (`app.callers.service.ApiKeyService`)."""

    async def authenticate(self, presented: str) -> Principal | None: ...

    async def recognises(self, presented: str) -> bool: ...

    async def is_active(self, key_id: int) -> bool: ...


class AuthState(WithSessions, Protocol):
    """What authentication takes from the app's state."""

    @property
    def environment(self) -> Environment: ...

    @property
    def keyring(self) -> BootstrapKeyring: ...

    def stored_keys(self, session: AsyncSession) -> StoredKeys: ...


api_key_header = APIKeyHeader(name=API_KEY, auto_error=False)
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
    """The API key from `X-API-Key` or `Authorization: Bearer`, read by the parser the response
    cache uses too (`app.platform.core.security.presented_credentials`); different keys are
    ConflictingCredentialsError (400). The two schemes are declared here for OpenAPI only."""
    return one_key(presented_credentials(request.scope["headers"]))


def one_key(credentials: Credentials) -> str | None:
    """The key `credentials` present; ConflictingCredentialsError (400) when they present
    different ones, saying how to send one."""
    if not credentials.conflict:
        return credentials.key
    sent_in = credentials.conflict
    if len(sent_in) > 1:
        where = f"in `{API_KEY}` and as `{BEARER}`"
        how = "send it in one of them (or the same key in both)"
    else:
        where = f"in `{sent_in[0]}`, sent more than once"
        how = f"send one `{sent_in[0].split(':')[0]}` header"
    raise ConflictingCredentialsError(
        f"The request presents different API keys {where}: which one is calling is not for "
        f"the service to choose. Send one key: {how}.",
        sent_in=sent_in,
    )


PresentedKey = Annotated[str | None, Depends(presented_key)]


async def authenticate(
    state: AuthState,
    presented: str | None,
    required: Role,
    open_session: Callable[[], AbstractAsyncContextManager[AsyncSession]],
) -> Principal:
    """The caller behind `X-API-Key` with at least the `required` role (401 vs 403)."""
    open_reads = state.environment.auth.open_reads
    if not presented:
        if role_permits(None, required, open_reads=open_reads):
            return ANONYMOUS_READER
        raise AuthenticationError(
            f"An API key is required in the {API_KEY} header (or as Authorization: Bearer)."
        )
    principal = state.keyring.match(hash_key(presented))  # bootstrap keys need no database
    if principal is None:
        async with open_session() as session:
            principal = await state.stored_keys(session).authenticate(presented)
    if principal is None:
        raise AuthenticationError("The API key is unknown or revoked.")
    if not role_permits(principal.role, required, open_reads=open_reads):
        raise PermissionDeniedError(
            f"This action needs the '{required}' role; the key has '{principal.role}'.",
            extra={"required_role": required.value, "key_role": principal.role.value},
        )
    return principal


_ROLE_CHECKS: dict[Callable[..., Any], Role] = {}  # each `require_role` dependency: its role


def require_role(required: Role) -> Callable[..., Awaitable[Principal]]:
    """A dependency that authenticates `X-API-Key` within the request's session."""

    async def authorise(
        request: Request, session: SessionDep, presented: PresentedKey
    ) -> Principal:
        @asynccontextmanager
        async def request_session() -> AsyncIterator[AsyncSession]:
            yield session

        principal = await authenticate(app_state(request), presented, required, request_session)
        remember_role(request, principal.role)
        return principal

    _ROLE_CHECKS[authorise] = required
    return authorise


def required_role(dependant: Dependant) -> Role | None:
    """The role a route's `require_role` dependency requires (None: it has none)."""
    for sub in dependant.dependencies:
        role = _ROLE_CHECKS.get(sub.call) if sub.call is not None else None
        if role is None:
            role = required_role(sub)
        if role is not None:
            return role
    return None


async def authenticate_first(request: Request, required: Role) -> None:
    """Who is calling, checked before anything of the request is read: its credentials (400),
    its key (401) and its role (403), as the route's dependency checks them again once the
    body is read. A stored key is looked up in a session of its own, whose changes are let go:
    its use is recorded by that dependency, in the request's transaction."""
    state: AuthState = app_state(request)
    presented = one_key(presented_credentials(request.scope["headers"]))
    await authenticate(state, presented, required, state.run_sessions or state.sessionmaker)


async def authorise_reader_lazily(
    request: Request, sessions: SessionSourceDep, presented: PresentedKey
) -> Principal:
    """`read` role without a request session: a stored key opens one, a bootstrap key none."""
    principal = await authenticate(app_state(request), presented, Role.READ, sessions.open)
    remember_role(request, principal.role)
    return principal


async def authorise_reader_optionally(
    request: Request, sessions: SessionSourceDep, presented: PresentedKey
) -> Principal | None:
    """The caller with the `read` role, or None for one without a key (never a 401 then): for
    `/status`, whose probes carry no key. A stored key that cannot be checked because the
    database is down is no key either."""
    state: AuthState = app_state(request)
    if not presented and not state.environment.auth.open_reads:
        return None
    try:
        return await authenticate(state, presented, Role.READ, sessions.open)
    except Exception as exc:
        if is_database_unavailable(exc) or is_database_busy(exc):
            logger.warning("status: the key is not checked, the database is down")
            return None
        raise


def stored_key_check(state: AuthState) -> Callable[[str], Awaitable[bool]]:
    """For the caller limits: whether a presented key is a stored key that authenticates, in a
    session of its own (read only)."""
    sessions = state.run_sessions or state.sessionmaker

    async def recognises(presented: str) -> bool:
        async with sessions() as session:
            return await state.stored_keys(session).recognises(presented)

    return recognises


def key_still_valid(
    state: AuthState, sessions: SessionSource, principal: Principal
) -> Callable[[], Awaitable[bool]] | None:
    """For a long-lived answer: a check that the caller's stored key is still valid (not
    revoked); None for bootstrap keys and anonymous readers, which cannot be revoked."""
    key_id = principal.api_key_id
    if key_id is None:
        return None

    async def still_valid() -> bool:
        try:
            async with sessions.open() as session:
                return await state.stored_keys(session).is_active(key_id)
        except Exception:  # the database blinked: keep serving, look again next time
            logger.warning("api keys: key %s not checked", key_id, exc_info=True)
            return True

    return still_valid


ReaderDep = Annotated[Principal, Depends(require_role(Role.READ))]
LazyReaderDep = Annotated[Principal, Depends(authorise_reader_lazily)]
OptionalReaderDep = Annotated[Principal | None, Depends(authorise_reader_optionally)]
TraderDep = Annotated[Principal, Depends(require_role(Role.TRADE))]
AdminDep = Annotated[Principal, Depends(require_role(Role.ADMIN))]
