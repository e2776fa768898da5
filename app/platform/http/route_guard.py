"""The API's routes: each checks its request before FastAPI reads it, by rules decided once per
route when it is built rather than at each request: who is calling, first, on a route that takes
a body (its key and role, before a byte of the body is read: `app.platform.http.auth`), the query
parameters it declares (any other is a `422`, and so is a single-valued one sent twice:
`app.platform.http.query_params`) and whether its reads can be heavy (then a token of the
caller's heavy bucket is taken as it is computed, after a cache miss:
`app.platform.http.rate_limit`). Before them, as on every route of `JsonBodyRoute`, an `Accept`
taking none of its media types is a 406. A refusal is answered as any error of a route is
(problem+json)."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request

from app.platform.http.auth import authenticate_first, required_role
from app.platform.http.json_body import JsonBodyRoute, RequestCheck
from app.platform.http.query_params import (
    declared_query,
    refuse_repeated,
    refuse_unknown,
    repeatable_query,
)
from app.platform.http.rate_limit import READ_METHODS, CallerLimits, heavy_by_query, is_heavy


class ApiRoute(JsonBodyRoute):
    """A route of the API (every router under the prefix uses it; `/metrics` does not)."""

    def checks(self) -> RequestCheck:
        name, declared, repeatable = self.name, declared_query(self), repeatable_query(self)
        heavy = heavy_by_query(name, declared)  # True, False, or None: by the query
        # Who is calling, before a body is read (a route without one checks it as it is solved).
        role = required_role(self.dependant) if self.body_field is not None else None

        async def guarded(request: Request) -> None:
            if role is not None:
                await authenticate_first(request, role)
            query = request.scope["query_string"]
            params = parse_qsl(query.decode("latin-1"), keep_blank_values=True) if query else []
            if params:
                names = [key for key, _ in params]
                refuse_unknown(names, declared)
                refuse_repeated(names, repeatable)
            limits: CallerLimits | None = getattr(request.app.state, "caller_limits", None)
            if heavy is not False and limits is not None and request.method in READ_METHODS:
                values = dict(params)
                method, window = values.get("method"), values.get("window")
                if heavy or is_heavy(name, method, window, limits.environment.heavy_window_hours):
                    limits.charge_heavy(request.scope)

        return guarded
