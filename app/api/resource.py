"""The router of one API resource: every route reads its JSON body strictly (`JsonBodyRoute`)
and may answer 401 or 403, so each resource's file declares only its prefix and tag."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.json_body import JsonBodyRoute
from app.schemas.common import problem_responses


def resource_router(prefix: str, tag: str) -> APIRouter:
    """The router of the resource under `prefix` ("" for paths of their own), tagged `tag`."""
    return APIRouter(
        route_class=JsonBodyRoute, prefix=prefix, tags=[tag], responses=problem_responses(401, 403)
    )
