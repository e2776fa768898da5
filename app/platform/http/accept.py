"""Whether a request's `Accept` prefers another media type to JSON, the service's own: CSV, read
here once, by the routes that answer CSV (`app.platform.http.media`) and by the response cache's
key, so that a kept answer is found only by the requests that would be answered the same (and a
key holds none of the caller's bytes); HTML, by the service's root page (a browser's `Accept`)."""

from __future__ import annotations

from collections.abc import Iterable

JSON, CSV, HTML = "application/json", "text/csv", "text/html"


def prefers_csv(accept_lines: Iterable[str]) -> bool:
    """Whether `Accept` (its field lines read as one list) prefers text/csv to application/json:
    JSON on a tie, or when neither is named."""
    return prefers(accept_lines, CSV)


def prefers_html(accept_lines: Iterable[str]) -> bool:
    """Whether `Accept` prefers text/html to application/json (as a browser's does): JSON on a
    tie, or when neither is named."""
    return prefers(accept_lines, HTML)


def prefers(accept_lines: Iterable[str], other: str) -> bool:
    """Whether `Accept` prefers `other` to application/json; JSON on a tie."""
    best = {JSON: -1.0, other: -1.0}
    for part in ",".join(accept_lines).split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q <= 0:  # "not acceptable": it counts for neither
            continue
        media = media.lower()
        for offered in best:
            if media == offered or media in ("*/*", offered.split("/")[0] + "/*"):
                specific = 0.001 if media == offered else 0.0  # an exact match wins a tie
                best[offered] = max(best[offered], q + specific)
    return best[other] > 0 and best[other] > best[JSON]
