"""API-key administration (role `admin`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import Depends, Query, Request, status

from app.callers.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyRead
from app.callers.service import ApiKeyService
from app.platform.http.auth import AdminDep
from app.platform.http.resource import resource_router
from app.platform.http.sessions import SessionDep, app_state
from app.platform.schemas.common import Offset, RowId, problem_responses

router = resource_router("/api-keys", "api keys")


async def get_api_key_service(request: Request, session: SessionDep) -> ApiKeyService:
    """The request's API-key service, in the request's one transaction."""
    return ApiKeyService(session, app_state(request).keyring)


ApiKeyServiceDep = Annotated[ApiKeyService, Depends(get_api_key_service)]


@router.post(
    "",
    response_model=ApiKeyCreated,
    status_code=status.HTTP_201_CREATED,
    summary="Create an API key (the full key is shown only in this response)",
    responses=problem_responses(422),
)
async def create_api_key(
    body: ApiKeyCreate, principal: AdminDep, keys: ApiKeyServiceDep
) -> ApiKeyCreated:
    """`name` stands for the key in every audit trail (`actor`); `role` is `read`, `trade` or
    `admin`. Only its hash is stored: keep the `key` of this answer, it is never shown again.
    Role: admin."""
    api_key, full_key = await keys.create(name=body.name, role=body.role, created_by=principal.name)
    return ApiKeyCreated.model_validate(
        {**ApiKeyRead.model_validate(api_key).model_dump(), "key": full_key}
    )


@router.get(
    "", response_model=list[ApiKeyRead], summary="API keys, oldest first (never their secrets)"
)
async def list_api_keys(
    _: AdminDep,
    keys: ApiKeyServiceDep,
    include_revoked: bool = Query(False, description="Also list revoked keys."),
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Offset = 0,
) -> Sequence[ApiKeyRead]:
    """Each key's name, role, public prefix, creator and dates (created, last used, revoked);
    `include_revoked` adds the revoked ones. The bootstrap keys (`MYSYMBOLS_API_KEYS`) are not
    stored, so not listed. Role: admin."""
    return await keys.list(include_revoked=include_revoked, limit=limit, offset=offset)


@router.delete(
    "/{key_id:id}",
    response_model=ApiKeyRead,
    summary="Revoke an API key (idempotent)",
    responses=problem_responses(404),
)
async def revoke_api_key(key_id: RowId, _: AdminDep, keys: ApiKeyServiceDep) -> ApiKeyRead:
    """The key is refused (401) from then on, and an event stream it holds ends with
    `api-key-revoked`. Revoking a revoked key answers it unchanged. Role: admin."""
    return ApiKeyRead.model_validate(await keys.revoke(key_id))
