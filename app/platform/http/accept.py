"""A request's `Accept` read as RFC 9110 (12.5.1) has it, once, here: which of the media types a
route answers in it takes best, or none (`negotiate`). Read by the routes that answer CSV
(`app.platform.http.media`), by the response cache's key, so that a kept answer is found only by
the requests that would be answered the same (and a key holds none of the caller's bytes), by
the service's root page (HTML for a browser's `Accept`) and by every API route, which answers
406 when its types are all refused (`app.platform.http.negotiation`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

JSON, CSV, HTML = "application/json", "text/csv", "text/html"
EVENT_STREAM = "text/event-stream"

_QVALUE = re.compile(r"0(\.\d{0,3})?|1(\.0{0,3})?")  # RFC 9110's qvalue: 0 to 1, 3 decimals
_TOKEN = r"[!#$%&'*+.^_`|~0-9a-z-]+"
_MEDIA_RANGE = re.compile(f"{_TOKEN}/{_TOKEN}")  # `type/subtype`, `type/*` or `*/*`


def prefers(accept_lines: Iterable[str], other: str) -> bool:
    """Whether `Accept` (its field lines read as one list) prefers `other` (text/csv; text/html,
    as a browser's does) to application/json: JSON on a tie, or when neither is named."""
    return negotiate(accept_lines, (JSON, other)) == other


def media_ranges(accept_lines: Iterable[str]) -> list[tuple[str, float]]:
    """Each media range of `Accept` (its field lines read as one list), lower case and without
    its parameters, with its weight: 1 when it names none, 0 for one that is no qvalue (`q=2`,
    `q=x`: not acceptable, as `q=0`). What is no media range (`aaa`, `json`) is left out: a
    garbled `Accept` is none."""
    ranges = []
    for part in ",".join(accept_lines).split(","):
        media, *params = (p.strip() for p in part.split(";"))
        media = media.lower()
        if not _MEDIA_RANGE.fullmatch(media):
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                value = value.strip()
                q = float(value) if _QVALUE.fullmatch(value) else 0.0
        ranges.append((media, q))
    return ranges


def negotiate(accept_lines: Iterable[str], offered: Sequence[str]) -> str | None:
    """The one of `offered` (the route's media types, its preferred first) that `Accept` takes
    best, or None when it takes none. Each type is weighed by the most specific range that
    matches it (`text/csv` before `text/*` before `*/*`, so `*/*, application/json;q=0` refuses
    JSON) and a weight of 0 refuses it. Of equal weights, a type the request names wins over one
    a wildcard matched, then the route's order. No `Accept` (or an empty or garbled one) takes
    anything: the first offered."""
    ranges = media_ranges(accept_lines)
    if not ranges:
        return offered[0] if offered else None
    best: tuple[float, int] = (0.0, 0)
    chosen = None
    for media in offered:
        media = media.lower()
        kind = media.split("/", 1)[0] + "/*"
        specificity, q = -1, 0.0
        for given, weight in ranges:
            rank = 2 if given == media else 1 if given == kind else 0 if given == "*/*" else -1
            if rank >= 0 and (rank > specificity or (rank == specificity and weight > q)):
                specificity, q = rank, weight
        named = int(specificity == 2)
        if q > 0 and (q, named) > best:
            best, chosen = (q, named), media
    return chosen
