"""The trading engine's hottest read, `GET /portfolio`, answered before FastAPI's routing and
dependency machinery whenever the listening read cache holds a current snapshot and the caller
presents a configured (bootstrap) key. Anything else (a stored key, no key, `?as_of=`, a cold
cache) falls through to the regular route, which answers the same body and every error.
"""

from __future__ import annotations

import uuid

from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.middleware import REQUEST_ID_HEADER, incoming_request_id
from app.config import Role
from app.security import hash_key
from app.services.portfolio.reads import PORTFOLIO_JSON, render
from app.state import AppState

CACHE_HEADER = b"x-cache"


class PortfolioFastPath:
    def __init__(self, app: ASGIApp, path: str) -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and scope["path"] == self.path
            and not scope["query_string"]
        ):
            state: AppState = scope["app"].state.app_state
            cache = state.portfolio_cache
            facts = cache.get_listened() if cache is not None else None
            if facts is not None and _may_read(state, scope):
                body = PORTFOLIO_JSON.dump_json(render(facts, state.prices))
                request_id = incoming_request_id(scope) or uuid.uuid4().hex
                await send(
                    {
                        "type": "http.response.start",
                        "status": 200,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (REQUEST_ID_HEADER.encode(), request_id.encode()),
                            (CACHE_HEADER, b"hit"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def _may_read(state: AppState, scope: Scope) -> bool:
    """A bootstrap key of any role, or no key when reads are open; else the route decides."""
    presented = None
    for name, value in scope["headers"]:
        if name == b"x-api-key":
            presented = value.decode("latin-1")
        elif name == b"authorization" and value[:7].lower() == b"bearer ":
            presented = presented or value[7:].decode("latin-1").strip()
    if presented is None:
        return state.settings.auth.open_reads
    principal = state.keyring.match(hash_key(presented))
    return principal is not None and principal.role.allows(Role.READ)
