"""A request's head (its request line and headers) bounded before it is held: uvicorn's
httptools protocol, counting what it feeds the parser while a head is incomplete.

llhttp sets no limit on a head, and httptools keeps an unfinished header in memory however long
it grows: eight connections that never ended a 32 MB header held 256 MB. Here a head is fed to
the parser at most `HEAD_MAX_BYTES` at a time and refused once that much of it has gone in
unfinished, or once it completes larger than that (its line and header fields counted): nothing
more is read from the connection, the answers under way on it (requests pipelined before the
head) go out, then a `431` (problem+json), and the connection is closed. What one connection
can make the parser hold of a head is so at most twice the limit: the part of one read that
began it after another request, then the limit itself. Every uvicorn the project starts runs it
(`--http` `PROTOCOL`).

After the head, what the parser takes without a byte of body in it is counted the same way: a
chunked body's trailer fields, which llhttp keeps until they end as it keeps a head's. Past the
limit the connection is closed, once the answers to the requests before it have gone out (the
request's own route, reading it, is cut off): 64 MB of unfinished trailer grew the server by
120 MB before.

A request the parser cannot read (a control character in a header's value, a space in a header's
name, a method HTTP does not define, a malformed chunk) is answered as every refusal is, a
problem+json `400` in words, after the answers to the requests read whole before it, and the
connection is closed. uvicorn wrote a bare text/plain "Invalid HTTP request received." at once,
ahead of those answers, which were lost; and a malformed chunk behind a request still being
answered lost that request's answer though its route ran.

What a head asks that the service does not do is refused the same way, before its route runs: a
transfer coding other than chunked alone (`gzip, chunked`: 501, RFC 9112 section 6.1) and an
expectation other than `100-continue` (417, RFC 9110 section 10.1.1). A `100-continue` in an
HTTP/1.0 request is ignored, as RFC 9110 has it.

A client that sends its requests and half-closes (its end of the connection shut for writing:
`nc -N`, a script's `shutdown(SHUT_WR)`) is answered every request it sent whole, in order, and
the connection is closed after the last answer. uvicorn closed it at once: a write whose route
had already read its body ran to its commit, and its answer was lost. A request still arriving
(its body cut short) is a hang-up as before: its route is told the client is gone.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from app.platform.core.errors import PROBLEM_TYPE_PREFIX

logger = logging.getLogger(__name__)

HEAD_MAX_BYTES = 32 * 1024  # the request line and headers, in all
PROTOCOL = "app.platform.runtime.http_head:BoundedHttpToolsProtocol"  # uvicorn's `--http`
SLUG = "header-fields-too-large"
MALFORMED_SLUG = "malformed-request"
CODING_SLUG = "transfer-coding-not-implemented"
EXPECTATION_SLUG = "expectation-failed"
_FRAMING = frozenset((b"transfer-encoding", b"expect"))  # the header fields read here


def _problem(**document: object) -> bytes:
    return json.dumps(document, separators=(",", ":")).encode()


def refusal(max_bytes: int = HEAD_MAX_BYTES) -> bytes:
    """The 431's problem+json document."""
    return _problem(
        max_head_bytes=max_bytes,
        type=PROBLEM_TYPE_PREFIX + SLUG,
        title="Request header fields too large",
        status=431,
        detail=f"The request line and headers are over {max_bytes} bytes, the most this "
        "service reads; send fewer or shorter headers. Nothing was read or changed.",
    )


_REFUSAL = refusal()
_MALFORMED = _problem(
    type=PROBLEM_TYPE_PREFIX + MALFORMED_SLUG,
    title="Malformed HTTP request",
    status=400,
    detail="The request is not HTTP/1.1 this service can read: its request line, a header or "
    "its chunked body breaks the protocol's grammar (a control character in a header's value, a "
    "space in a header's name, a method HTTP does not define, a malformed chunk). Nothing was "
    "read or changed; the connection is closed.",
)
_UNKNOWN_CODING = _problem(
    type=PROBLEM_TYPE_PREFIX + CODING_SLUG,
    title="Transfer coding not implemented",
    status=501,
    detail="The request's Transfer-Encoding names a coding other than chunked (gzip, say), "
    "which this service does not undo: send the body plain, with its Content-Length, or with "
    "Transfer-Encoding: chunked alone. Nothing was read or changed; the connection is closed.",
)
_EXPECTATION_FAILED = _problem(
    type=PROBLEM_TYPE_PREFIX + EXPECTATION_SLUG,
    title="Expectation failed",
    status=417,
    detail="The request's Expect names an expectation other than 100-continue, the only one "
    "this service meets: send no Expect, or Expect: 100-continue. Nothing was read or changed; "
    "the connection is closed.",
)


def _unmet(fields: list[tuple[bytes, bytes]]) -> tuple[int, bytes] | None:
    """The refusal of what a head's `Transfer-Encoding` and `Expect` `fields` ask that this
    service does not do; None when it does all of it."""
    codings: list[bytes] = []
    expectations: list[bytes] = []
    for name, value in fields:  # lists of tokens, whose empty members do not count
        members = [m for m in (part.strip().lower() for part in value.split(b",")) if m]
        (codings if name == b"transfer-encoding" else expectations).extend(members)
    # A last coding other than chunked is llhttp's 400 (RFC 9112 6.3: the body has no length).
    if len(codings) > 1 and codings[-1] == b"chunked":
        return 501, _UNKNOWN_CODING
    if any(member != b"100-continue" for member in expectations):
        return 417, _EXPECTATION_FAILED
    return None


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a head of at most `HEAD_MAX_BYTES`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_head = True  # from the connection's start or a message's end to a head's end
        self._budget = HEAD_MAX_BYTES  # what may still be fed of the head under way
        self._refused = False
        # The connection's last answer once refused (None: closed without one).
        self._refusal: tuple[int, bytes] | None = (431, _REFUSAL)
        self._beside_body = 0  # bytes fed since the last of a body's bytes (trailers, say)
        self._body_fed = False
        self._ended = False  # the client sent all it will: closed after the last answer

    def data_received(self, data: bytes) -> None:
        """Feed `data` whole when it fits (a read of a head, or of a body), else in slices."""
        if self._refused:  # read before reading paused: never fed
            return
        if self._in_head:
            if len(data) <= self._budget:
                self._budget -= len(data)
                super().data_received(data)
                return
        elif len(data) <= HEAD_MAX_BYTES:
            self._feed_after_head(data)
            return
        self._feed_sliced(data)

    def _feed_sliced(self, data: bytes) -> None:
        """Feed `data` in slices, none past what the head under way may still take."""
        while data:
            if self._in_head and self._budget <= 0:
                self._refuse_head()
                return
            size = self._budget if self._in_head else HEAD_MAX_BYTES
            fed, data = data[:size], data[size:]
            if self._in_head:
                self._budget -= len(fed)
                super().data_received(fed)
            else:
                self._feed_after_head(fed)
            if self._refused or self.transport.is_closing():
                return
            if self.transport.get_protocol() is not self:  # upgraded (a WebSocket; none yet)
                return  # as uvicorn does with what followed the head in its read

    def _feed_after_head(self, data: bytes) -> None:
        """Feed a read of a message whose head is in; what holds no body byte counts, and the
        connection is closed once that passes the limit before the message ends."""
        self._body_fed = False
        super().data_received(data)
        if self._in_head or self._body_fed or self._refused:  # ended, or a body read
            return
        self._beside_body += len(data)
        if self._beside_body > HEAD_MAX_BYTES:
            logger.warning(
                "A request's trailer over %d bytes refused from %s", HEAD_MAX_BYTES, self.client
            )
            if self._drop_queued():  # the answers before it go out first
                self._refuse(None)
            else:  # its route is reading it: cut off
                self._refused = True
                self.transport.close()

    def on_headers_complete(self) -> None:
        if self._refused:
            return
        self._in_head = False
        size = len(self.url)
        framing = []
        for name, value in self.headers:  # a loop: twice as fast as sum() over a generator
            size += len(name) + len(value)
            if name in _FRAMING:
                framing.append((name, value))
        if size > HEAD_MAX_BYTES:
            self._refuse_head()
            return
        if framing and (unmet := _unmet(framing)) is not None:
            logger.info("A request head refused %d from %s", unmet[0], self.client)
            self._refuse(unmet)
            return
        if self.expect_100_continue and self.parser.get_http_version() == "1.0":
            self.expect_100_continue = False  # RFC 9110 10.1.1: ignored in HTTP/1.0
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        self._body_fed = True
        self._beside_body = 0
        if not self._refused:
            super().on_body(body)

    def on_message_complete(self) -> None:
        if self._refused:
            return
        # The next head starts here; what of it shared a slice with this message went uncounted.
        self._in_head = True
        self._budget = HEAD_MAX_BYTES
        self._beside_body = 0
        super().on_message_complete()

    def on_response_complete(self) -> None:
        if self._refused and not self.pipeline:  # the last answer before the refusal went out
            self.server_state.total_requests += 1
            self._answer_refusal()
            return
        last = self._ended and not self.pipeline  # no request waits behind this answer
        super().on_response_complete()
        if last and not self.transport.is_closing():
            self.transport.close()  # after the answer's bytes, which the transport sends first

    # asyncio's Protocol returns bool | None here; uvicorn's override narrowed it to None.
    def eof_received(self) -> bool | None:  # type: ignore[override]
        """The client will send nothing more: the requests it sent whole are answered, in
        order, then the connection is closed (True keeps it open for them). uvicorn closed it
        at once, and a route that had read its body ran on to answer no one."""
        if self._ended or self._refused:  # the refusal closes it after the answers under way
            return True
        cycle = self.cycle
        # A request cut short behind the answers under way is dropped, never started. Else,
        # closed at once: with nothing to answer; on a hang-up mid-body (its route is told); or
        # with an answer already going out and none behind it (an event stream's, say), which
        # a client that closed would never read to its end.
        if not self._drop_queued() and (
            cycle is None or not self._in_head or (cycle.response_started and not self.pipeline)
        ):
            return None
        self._ended = True
        return True

    def send_400_response(self, msg: str) -> None:
        """The parser's refusal (uvicorn has logged `msg`), in words, after the answers to the
        requests read whole before it; uvicorn's own went out at once, ahead of them."""
        if self._refused or self.transport.is_closing():  # a refused head's parser may complain
            return
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete and cycle.more_body:
            # The request being read is the malformed one: it can never be read whole.
            if self._drop_queued():  # behind answers under way: they go out first
                self._refuse((400, _MALFORMED))
                return
            self._refused = True
            if cycle.response_started:  # its route answers without its body: cut it off
                self.transport.close()
            else:
                self._answer(400, _MALFORMED)
            return
        self._refuse((400, _MALFORMED))

    def _drop_queued(self) -> bool:
        """Drop the request being read when it waits behind others' answers (pipelined, its
        route not started; it can never be read whole); whether it did."""
        if not self._in_head and self.pipeline and self.pipeline[0][0] is self.cycle:
            self.pipeline.popleft()  # the newest, queued last
            return True
        return False

    def _refuse_head(self) -> None:
        logger.warning("A request head over %d bytes refused from %s", HEAD_MAX_BYTES, self.client)
        self._refuse((431, _REFUSAL))

    def _refuse(self, refusal: tuple[int, bytes] | None) -> None:
        """Read no more; answer `refusal` (None: none) and close once the answers under way
        have gone out."""
        self._refused = True
        self._refusal = refusal
        if self.cycle is None or self.cycle.response_complete:
            self._answer_refusal()
        else:
            self.flow.pause_reading()

    def _answer_refusal(self) -> None:
        if self.transport.is_closing():  # the last answer closed it (`Connection: close`)
            return
        if self._refusal is None:
            self.transport.close()
        else:
            self._answer(*self._refusal)

    def _answer(self, status: int, problem: bytes) -> None:
        """`problem` as the connection's last answer, then closed."""
        head = [STATUS_LINE[status]]
        for name, value in self.server_state.default_headers:
            head.append(name + b": " + value + b"\r\n")
        head.append(b"content-type: application/problem+json\r\n")
        head.append(b"content-length: %d\r\n" % len(problem))
        head.append(b"connection: close\r\n\r\n")
        self.transport.write(b"".join(head) + problem)
        self.transport.close()
