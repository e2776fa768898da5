"""The response cache's key of a request, and what its `Accept` and `Accept-Encoding` take.

A key is the path, the query in its canonical order (declared parameters only) and the media type
`Accept` negotiates, so every value a caller may send shares one of three keys. Both headers are
read once per distinct value (memoised up to `MEMO_BYTES`): callers send a few short ones.
"""

from __future__ import annotations

import functools

from starlette.types import Scope

from app.platform.http.accept import CSV, JSON, negotiate
from app.platform.http.query_params import canonical_query

MEMO_BYTES = 128  # the longest Accept(-Encoding) memoised: callers send a few short ones


def request_key(scope: Scope) -> bytes:
    """The cache's key of a request: its path, its query in one order and the media type its
    `Accept` negotiates (`app.platform.http.accept`: a few bytes, whatever the caller sends)."""
    path: str = scope["path"]
    query = canonical_query(scope["query_string"])  # declared parameters only (else a 422)
    return path.encode() + b"?" + query + _accept(scope)


def accepts_gzip(scope: Scope) -> bool:
    """Whether the caller's `Accept-Encoding` (its lines as one list) takes gzip."""
    values = [value for name, value in scope["headers"] if name == b"accept-encoding"]
    if not values:
        return False
    accept_encoding = b",".join(values)
    if len(accept_encoding) > MEMO_BYTES:
        return takes_gzip(accept_encoding)
    return _takes_gzip_memo(accept_encoding)


def takes_gzip(accept_encoding: bytes) -> bool:
    """gzip named (or `x-gzip`), else `*`, with a quality above 0 (RFC 9110, 12.5.3)."""
    qualities: dict[bytes, float] = {}
    for item in accept_encoding.lower().split(b","):
        coding, _, params = item.partition(b";")
        qualities[coding.strip()] = _quality(params)
    named = qualities.get(b"gzip", qualities.get(b"x-gzip"))
    return (named if named is not None else qualities.get(b"*", 0.0)) > 0


_takes_gzip_memo = functools.lru_cache(maxsize=256)(takes_gzip)  # each value read once


def _quality(params: bytes) -> float:
    """A coding's `q` (1 when absent; a malformed one counts as absent)."""
    for param in params.split(b";"):
        key, _, value = param.partition(b"=")
        if key.strip() == b"q":
            try:
                return float(value.strip())
            except ValueError:
                return 1.0
    return 1.0


def _accept(scope: Scope) -> bytes:
    """The key's part for `Accept`: the media type it negotiates (CSV, JSON and no part, or
    neither: the route's 406, never kept), so that every value a caller may send shares one of
    three keys and the key keeps none of it."""
    values = [value for name, value in scope["headers"] if name == b"accept"]
    if not values:
        return b""
    accept = b",".join(values)
    if len(accept) > MEMO_BYTES:
        return _accept_part(accept)
    return _accept_part_memo(accept)


def _accept_part(accept: bytes) -> bytes:
    chosen = negotiate([accept.decode("latin-1")], (JSON, CSV))
    return b"" if chosen == JSON else b"#csv" if chosen == CSV else b"#none"


_accept_part_memo = functools.lru_cache(maxsize=256)(_accept_part)  # each value read once
