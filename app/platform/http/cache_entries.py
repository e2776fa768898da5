"""What the response cache keeps of an answer: its representations, plain and gzipped, as entries.

An answer of a packet or more (`GZIP_FROM_BYTES`) and at most `MAX_BODY_BYTES` is compressed once,
when it is computed, in a thread of its own, and kept beside its plain bytes when that pays; each
representation carries its own `ETag`. `Found` is what a lookup makes of a request.
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Self

from starlette.types import Scope

from app.platform.core.environment import Role
from app.platform.http.cache_keys import accepts_gzip

Header = tuple[bytes, bytes]

MAX_BODY_BYTES = 1024 * 1024  # a larger answer is served but not kept
GZIP_FROM_BYTES = 1400  # a smaller answer fits one packet as it is: not worth compressing
GZIP_LEVEL = 6  # zlib's default, paid once per answer computed
ACCEPT_ENCODING = b"Accept-Encoding"  # what a gzipped answer's two representations vary with
# Its own thread (zlib lets go of the GIL), so that no caller waits behind the default
# executor's work (a replay's arrays): 0.7 ms for 83 kB of JSON, 10 ms for 1 MB, idle Xeon core.
_COMPRESSOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="response-gzip")


@dataclass(frozen=True, slots=True)
class Representation:
    """A kept answer's bytes as sent, with a 200's own headers: content type and length, ETag,
    for a gzipped one its encoding (the ETag differs with it), and what it varies with."""

    body: bytes
    etag: bytes  # quoted, as sent
    head: tuple[Header, ...]

    @classmethod
    def of(
        cls,
        body: bytes,
        content_type: bytes,
        *,
        encoding: bytes | None = None,
        vary: tuple[bytes, ...] = (),
    ) -> Self:
        tag = hashlib.blake2b(body, digest_size=12).hexdigest().encode()
        etag = b'"' + tag + (b"-" + encoding if encoding else b"") + b'"'
        head = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
        head.append((b"etag", etag))
        if encoding is not None:
            head.append((b"content-encoding", encoding))
        if vary:
            head.append((b"vary", b", ".join(vary)))
        return cls(body, etag, tuple(head))


@dataclass(frozen=True, slots=True)
class Entry:
    plain: Representation
    gzipped: Representation | None  # for callers that accept gzip, when the answer is worth it
    role: Role  # what a caller needs to be served it
    may_stale: bool  # its route opted in to being served stale (`CachedHeavyRead`)
    generation: int
    stored_at: float  # on the cache's clock (monotonic seconds)

    @property
    def size(self) -> int:
        """The bytes it keeps, both representations."""
        return len(self.plain.body) + (len(self.gzipped.body) if self.gzipped else 0)

    def cost(self, key: bytes) -> int:
        """What keeping it under `key` counts against the cache's bytes: its bodies and key."""
        return self.size + len(key)

    def for_caller(self, scope: Scope) -> Representation:
        """What `scope`'s caller is sent: gzipped when it accepts that and there is one."""
        if self.gzipped is not None and accepts_gzip(scope):
            return self.gzipped
        return self.plain


async def representations(
    body: bytes, content_type: bytes, *, keepable: bool, vary: tuple[bytes, ...] = ()
) -> tuple[Representation, Representation | None]:
    """An answer's plain bytes, and gzipped when it may be kept and that pays (both then vary
    with `Accept-Encoding` too, beside what the route's answer `vary`s with)."""
    if not keepable or not GZIP_FROM_BYTES <= len(body) <= MAX_BODY_BYTES:
        return Representation.of(body, content_type, vary=vary), None
    compress = functools.partial(gzip.compress, body, GZIP_LEVEL, mtime=0)
    gzipped = await asyncio.get_running_loop().run_in_executor(_COMPRESSOR, compress)
    if len(gzipped) >= len(body):
        return Representation.of(body, content_type, vary=vary), None
    vary = (*vary, ACCEPT_ENCODING)
    return (
        Representation.of(body, content_type, vary=vary),
        Representation.of(gzipped, content_type, encoding=b"gzip", vary=vary),
    )


@dataclass(slots=True)
class Found:
    """What the cache makes of a request: an answer to send, or a computation to run."""

    entry: Entry | None = None  # send this
    age_s: int | None = None  # ... as a stale answer this old (whole seconds)
    computing: asyncio.Future[Entry | None] | None = None  # compute, for the waiting callers too
    refresh: asyncio.Future[Entry | None] | None = None  # ... and recompute it in the background
