"""The live event stream (Server-Sent Events), resumable with `Last-Event-ID`."""

from __future__ import annotations

from typing import Annotated, Protocol

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse

from app.platform.core.headers import LAST_EVENT_ID
from app.platform.events.stream import StreamContext, event_streams
from app.platform.http.auth import AuthState, LazyReaderDep, key_still_valid
from app.platform.http.rate_limit import CallerLimits
from app.platform.http.route_guard import ApiRoute
from app.platform.http.sessions import SessionSourceDep, StateDep
from app.platform.http.stream_cap import SlottedStream
from app.platform.schemas.common import INT32_MAX, problem_responses


class EventsState(StreamContext, AuthState, Protocol):
    """What an event stream's route takes from the app's state."""


router = APIRouter(
    route_class=ApiRoute, tags=["events"], responses=problem_responses(401, 403, 429)
)

EXAMPLE = (
    "id: 42\nevent: portfolio_changed\n"
    'data: {"id":42,"at":"2026-11-22T09:00:00+00:00","action":"add","symbol":"SOLUSDT",…}\n\n'
)


@router.get(
    "/events",
    response_class=StreamingResponse,
    summary="Live events: portfolio_changed, weights_updated, replacement_proposed, "
    "score_run_completed, alert, data_stale",
    description="Server-Sent Events. Each event has the id of its row in the outbox; reconnect "
    "with `Last-Event-ID` (or `?since=`) to receive exactly the events missed, in order. Without "
    "either, the stream starts with the next event. An id past the newest event (the events "
    "restored from a backup) is answered at once with a `reload` event whose id is the newest: "
    "read the state afresh; the stream goes on from there. Comment lines keep idle connections "
    "open. A stream ends with a final `error` event (a problem document, no id) when its API "
    "key is revoked (`api-key-revoked`, checked every heartbeat), when the client reads too "
    "slowly (`stream-overflowed`) or when the replica stops (`shutting-down`). A key (or, "
    "without one, a client address) may hold `MYSYMBOLS_LIMITS__STREAMS_PER_KEY` streams open "
    "on a replica, and a replica serves `MYSYMBOLS_LIMITS__STREAMS_PER_PROCESS` in all: `429` "
    "beyond.",
    responses={200: {"content": {"text/event-stream": {"example": EXAMPLE}}}},
)
async def get_events(
    request: Request,
    principal: LazyReaderDep,
    state: StateDep[EventsState],
    sessions: SessionSourceDep,
    # The header EventSource sends by itself when it reconnects: read, not listed as a parameter.
    last_event_id: Annotated[
        int | None, Header(alias=LAST_EVENT_ID, ge=0, le=INT32_MAX, include_in_schema=False)
    ] = None,
    since: Annotated[
        int | None, Query(ge=0, le=INT32_MAX, description="The last event id seen.")
    ] = None,
) -> StreamingResponse:
    limits: CallerLimits = request.app.state.caller_limits
    caller = limits.authenticated(request.scope)
    events = event_streams(state, sessions.open).stream(
        last_event_id=last_event_id if last_event_id is not None else since,
        is_disconnected=request.is_disconnected,
        still_authorised=key_still_valid(state, sessions, principal),
    )
    return SlottedStream(  # 429 as it starts when this caller, or this replica, holds all
        events,
        slots=limits.streams,
        caller=caller,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
