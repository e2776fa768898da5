"""The router of one API resource: every route is an `ApiRoute` (its JSON body read strictly,
its query parameters and heavy reads checked) and may answer 401 or 403, so each resource's file
declares only its prefix and tag."""

from __future__ import annotations

from fastapi import APIRouter

import app.platform.http.path_ids  # noqa: F401  (registers `{name:id}` before any route is built)
from app.platform.http.route_guard import ApiRoute
from app.platform.schemas.common import problem_responses


def resource_router(prefix: str, tag: str) -> APIRouter:
    """The router of the resource under `prefix` ("" for paths of their own), tagged `tag`."""
    return APIRouter(
        route_class=ApiRoute, prefix=prefix, tags=[tag], responses=problem_responses(401, 403)
    )
