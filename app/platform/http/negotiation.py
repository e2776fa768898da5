"""406 Not Acceptable: a route answers in the media types it documents (JSON; CSV too on a
timeline; the event stream's `text/event-stream`; `/metrics`' Prometheus text), and a request
whose `Accept` takes none of them is refused before anything else of it is read, as RFC 9110
(15.5.7) has it. No `Accept`, `*/*` or `type/*` takes them as before; `q=0` refuses a type.
Its errors are problem documents whatever `Accept` says (RFC 9110 lets a refusal be sent so)."""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request

from app.platform.core.errors import NotAcceptableError
from app.platform.http.accept import negotiate

MAX_ECHOED = 100  # the characters of the caller's `Accept` a refusal repeats


def offered_media(route: APIRoute) -> tuple[str, ...]:
    """The media types of `route`'s successful answers as it documents them: its response
    class's, then those its 2xx responses declare; none for a route whose answer has no body
    (204), which any `Accept` takes."""
    if route.status_code == 204:
        return ()
    response_class: Any = getattr(route.response_class, "value", route.response_class)
    media = [response_class.media_type] if getattr(response_class, "media_type", None) else []
    for status, response in route.responses.items():
        if str(status).startswith("2"):
            media += list(response.get("content", {}))
    return tuple(dict.fromkeys(str(m).split(";", 1)[0].strip().lower() for m in media))


def refuse_unacceptable(request: Request, offered: tuple[str, ...]) -> None:
    """NotAcceptableError (406) when the request's `Accept` takes none of `offered`."""
    accept = request.headers.getlist("accept")
    if not offered or negotiate(accept, offered) is not None:
        return
    sent = ", ".join(accept)
    shown = sent if len(sent) <= MAX_ECHOED else f"{sent[:MAX_ECHOED]}…"
    types = " or ".join(f"`{media}`" for media in offered)
    raise NotAcceptableError(
        f"This route answers in {types}, and the request's `Accept: {shown}` takes none of "
        f"them: send `Accept: {offered[0]}` (or `*/*`), or leave `Accept` out.",
        acceptable=offered,
    )
