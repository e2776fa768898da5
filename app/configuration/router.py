"""The runtime settings: read them with their bounds (role `read`), change them (role `admin`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from app.callers.actor import Actor
from app.configuration.schemas import (
    ConfigChangeRecord,
    ConfigChangeResult,
    ConfigRead,
    ConfigUpdate,
    SettingRead,
)
from app.configuration.service import ConfigurationService, SettingValue
from app.platform.http.auth import AdminDep, ReaderDep
from app.platform.http.resource import resource_router
from app.platform.http.response_cache import CachedAdminRead, CachedRead
from app.platform.http.sessions import SessionDep
from app.platform.schemas.common import problem_responses

router = resource_router("/config", "configuration")


async def get_configuration_service(session: SessionDep) -> ConfigurationService:
    """The request's runtime settings, in the request's one transaction."""
    return ConfigurationService(session)


ConfigurationDep = Annotated[ConfigurationService, Depends(get_configuration_service)]


def _read(values: list[SettingValue]) -> list[SettingRead]:
    return [
        SettingRead(
            key=v.setting.key,
            value=v.value,
            type=v.setting.type,
            default=v.setting.default,
            minimum=v.setting.minimum,
            maximum=v.setting.maximum,
            choices=list(v.setting.choices) if v.setting.choices is not None else None,
            description=v.setting.description,
        )
        for v in values
    ]


@router.get(
    "",
    dependencies=[CachedRead],
    response_model=ConfigRead,
    summary="Every runtime setting with its value, type, default, bounds and description",
)
async def get_config(_: ReaderDep, configuration: ConfigurationDep) -> ConfigRead:
    """Each setting's `value` in force (its default until someone changes it), its type, bounds or
    choices, and what it does. They are read where they are used, so a change counts from the next
    request or job run that reads it. The settings read at start come from the environment
    (`MYSYMBOLS_*`) and are not here. Role: read."""
    return ConfigRead(settings=_read(await configuration.list_settings()))


@router.put(
    "",
    response_model=ConfigChangeResult,
    summary="Change one or more runtime settings together (validated; one audit row per change)",
    responses=problem_responses(422),
)
async def update_config(
    body: ConfigUpdate, principal: AdminDep, configuration: ConfigurationDep, request: Request
) -> ConfigChangeResult:
    """All or none: an unknown key, a value out of its bounds, a broken rule between keys, or
    `max_portfolio_symbols` below the members held is a 422 naming the key, and nothing changes.
    Each value that changed writes one audit row (`GET /config/changes`); the answer lists them
    (`changed`) and every setting as it now stands. Role: admin."""
    actor = Actor(principal.name, getattr(request.state, "request_id", None))
    changes, values = await configuration.update(body.values, actor=actor)
    return ConfigChangeResult(
        changed=changes,
        settings=_read(values),
    )


@router.get(
    "/changes",
    dependencies=[CachedAdminRead],
    response_model=list[ConfigChangeRecord],
    summary="Changes of the runtime settings made over the API, newest first",
)
async def list_config_changes(
    _: AdminDep, configuration: ConfigurationDep, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> list[ConfigChangeRecord]:
    """Who changed which key (the key's name and the request id), when, from what to what; a
    category held with `PUT /symbols/{symbol}/category` is here as `symbol_category:<SYMBOL>`.
    Role: admin."""
    return await configuration.changes(limit)
