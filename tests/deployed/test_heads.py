"""The request head bounded in the server, as deployed (uvicorn with the image's `--http`,
`app.platform.runtime.http_head`): a 1 MB header line is answered 431 or its connection closed,
heads within the limit are answered, one after another on a kept-alive connection too, a request
pipelined before an oversized head is answered before the refusal, unfinished heads of 40 kB are cut
off, eight connections sending up to 32 MB of unfinished header each leave the server's resident
memory where it was, and a 200 kB body read in slices reaches its route whole. After the head, a
chunked body's unfinished 16 MB trailer closes its connection, the memory unmoved. Before: a 1 MB
line was answered 200, and eight 32 MB unfinished headers held +256 MB until they closed. A request
the parser refuses is a problem+json 400 after the answer to the request before it (before: a
text/plain 400 sent first, the earlier request's answer lost)."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.platform.runtime.http_head import HEAD_MAX_BYTES, MALFORMED_SLUG, SLUG
from tests.conftest import ADMIN_KEY
from tests.databases import migrated_sqlite_url
from tests.deployed import API, process, service_env, uvicorn, wait_for
from tests.sim_fixtures import free_port

NOBODY_LISTENS = 9  # KuCoin's port: /health answers without it
REQUEST = f"GET {API}/health HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode()
CHUNK = 64 * 1024
CUT_OFF_S = 10.0  # how long a refused connection may take to be closed
MAX_GROWTH_KB = 16 * 1024


@dataclass(frozen=True)
class Served:
    port: int
    pid: int


@pytest.fixture(scope="module")
async def served(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Served]:
    """The service as the image starts it, in a uvicorn process on a migrated SQLite file."""
    directory = tmp_path_factory.mktemp("heads")
    env = service_env(await migrated_sqlite_url(directory), NOBODY_LISTENS, ADMIN_KEY)
    port = free_port()
    with process(uvicorn("app.main:app", port), env, None, directory / "service.log") as proc:
        await asyncio.to_thread(wait_for, f"http://127.0.0.1:{port}{API}/health", 120)
        yield Served(port, proc.pid)


class Client:
    """One connection, written raw and read one answer at a time (what a read brings of the
    next answer is kept for it)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.unread = b""

    def send(self, data: bytes) -> int:
        """`data` sent in chunks until the server stops taking it; the bytes sent."""
        sent = 0
        try:
            for start in range(0, len(data), CHUNK):
                self.sock.sendall(data[start : start + CHUNK])
                sent = min(len(data), start + CHUNK)
        except (BrokenPipeError, ConnectionResetError):
            pass
        return sent

    def response(self) -> tuple[int, bytes] | None:
        """The next answer, status and body; None when the server closed the connection
        without one (a reset included). Raises `TimeoutError` while the connection stays open."""
        try:
            while b"\r\n\r\n" not in self.unread:
                if not self._read():
                    return None
            head, _, self.unread = self.unread.partition(b"\r\n\r\n")
            lines = head.split(b"\r\n")
            fields = dict(line.lower().split(b": ", 1) for line in lines[1:])
            length = int(fields[b"content-length"])
            while len(self.unread) < length:
                if not self._read():
                    return None
        except ConnectionResetError:
            return None
        body, self.unread = self.unread[:length], self.unread[length:]
        return int(lines[0].split()[1]), body

    def _read(self) -> bool:
        chunk = self.sock.recv(CHUNK)
        self.unread += chunk
        return bool(chunk)


@contextmanager
def connected(port: int) -> Iterator[Client]:
    with socket.create_connection(("127.0.0.1", port), timeout=CUT_OFF_S) as sock:
        yield Client(sock)


def padded(size: int) -> bytes:
    """A header line of `size` bytes of value."""
    return b"X-Pad: " + b"a" * size + b"\r\n"


def assert_refused(answer: tuple[int, bytes] | None) -> None:
    """A 431 naming the limit, or the connection closed."""
    if answer is not None:
        status, body = answer
        assert status == 431, answer
        problem = json.loads(body)
        assert problem["type"].endswith(SLUG) and problem["max_head_bytes"] == HEAD_MAX_BYTES


def status_kb(pid: int, field: str) -> int:
    """A `/proc/<pid>/status` figure (VmRSS, VmHWM), in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} for process {pid}")


class TestHeadLimit:
    def test_a_megabyte_header_line_is_refused(self, served: Served) -> None:
        with connected(served.port) as client:
            client.send(REQUEST + padded(1024 * 1024) + b"\r\n")
            assert_refused(client.response())

    def test_a_head_just_over_the_limit_is_answered_431(self, served: Served) -> None:
        with connected(served.port) as client:
            client.send(REQUEST + padded(HEAD_MAX_BYTES) + b"\r\n")
            answer = client.response()
        assert answer is not None and answer[0] == 431
        assert_refused(answer)

    def test_heads_within_the_limit_are_answered_one_after_another(self, served: Served) -> None:
        """On one kept-alive connection: each request starts the count afresh."""
        with connected(served.port) as client:
            for _ in range(5):
                client.send(REQUEST + padded(HEAD_MAX_BYTES - 1024) + b"\r\n")
                answer = client.response()
                assert answer is not None and answer[0] == 200, answer
            client.send(REQUEST + padded(1024 * 1024) + b"\r\n")
            assert_refused(client.response())

    def test_an_oversized_head_pipelined_after_a_request_is_refused(self, served: Served) -> None:
        """Both sent at once: the first is answered, the second refused."""
        with connected(served.port) as client:
            client.send(REQUEST + b"\r\n" + REQUEST + padded(HEAD_MAX_BYTES) + b"\r\n")
            first = client.response()
            assert first is not None and first[0] == 200, first
            second = client.response()  # a 431 once the first answer has gone out
            assert second is not None and second[0] == 431, second
            assert_refused(second)

    def test_unfinished_heads_are_cut_off(self, served: Served) -> None:
        with ExitStack() as stack:
            clients = [stack.enter_context(connected(served.port)) for _ in range(8)]
            for client in clients:
                client.send(REQUEST + padded(40 * 1024))  # never ended
            for client in clients:
                assert_refused(client.response())  # a TimeoutError while it is held

    @pytest.mark.slow  # 8 connections of up to 32 MB each
    def test_unfinished_heads_do_not_grow_the_server(self, served: Served) -> None:
        """Eight connections, each sending an unfinished 32 MB header line and left open: the
        server's resident memory, and its peak, grow by less than 16 MB."""
        before = status_kb(served.pid, "VmRSS")
        Path(f"/proc/{served.pid}/clear_refs").write_text("5")  # VmHWM afresh from here
        line = padded(32 * 1024 * 1024)
        with ExitStack() as stack:
            clients = [stack.enter_context(connected(served.port)) for _ in range(8)]
            taken = [client.send(REQUEST + line) for client in clients]
            during = status_kb(served.pid, "VmRSS")
            peak = status_kb(served.pid, "VmHWM")
            assert during - before < MAX_GROWTH_KB, (before, during)
            assert peak - before < MAX_GROWTH_KB, (before, peak)
            assert all(sent < len(line) for sent in taken), taken  # cut off before the end
            for client in clients:
                assert_refused(client.response())


class TestTrailerLimit:
    def test_an_unfinished_trailer_is_cut_off_and_does_not_grow_the_server(
        self, served: Served
    ) -> None:
        """A chunked body's trailer fields are kept by the parser as a head's are: a 16 MB one
        never ended closes its connection, and the server's memory stays where it was (before:
        64 MB of trailer grew it by 120 MB)."""
        post = (
            f"POST {API}/portfolio/rebalance HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"X-API-Key: {ADMIN_KEY}\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
        ).encode()
        trailer = b"0\r\nX-Trailer: " + b"a" * (16 * 1024 * 1024)  # never ended
        before = status_kb(served.pid, "VmRSS")
        with connected(served.port) as client:
            sent = client.send(post + trailer)
            assert client.response() is None  # closed, no answer
        after = status_kb(served.pid, "VmRSS")
        assert sent < len(post + trailer), sent
        assert after - before < MAX_GROWTH_KB, (before, after)

    def test_a_chunked_body_with_a_short_trailer_is_answered(self, served: Served) -> None:
        body = json.dumps({"positions": {}, "pad": "x" * 100_000}).encode()
        post = (
            f"POST {API}/portfolio/rebalance HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"X-API-Key: {ADMIN_KEY}\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
        ).encode()
        chunked = b"".join(
            b"%x\r\n%s\r\n" % (len(body[i : i + 7000]), body[i : i + 7000])
            for i in range(0, len(body), 7000)
        )
        with connected(served.port) as client:
            client.send(post + chunked + b"0\r\nX-Trailer: t\r\n\r\n" + REQUEST + b"\r\n")
            first, second = client.response(), client.response()
        assert first is not None and first[0] == 422, first  # the body whole: its field refused
        assert [error["field"] for error in json.loads(first[1])["errors"]] == ["pad"]
        assert second is not None and second[0] == 200, second


class TestBodiesAfterTheHead:
    def test_a_large_body_and_a_request_after_it_in_one_read_are_both_answered(
        self, served: Served
    ) -> None:
        """Head, a 200 kB JSON body and the next request in one send: the body reaches the
        route whole (its JSON parses: a refusal of its unknown field), the next request after it
        is answered as one of its own."""
        body = json.dumps({"positions": {}, "pad": "x" * 200_000}).encode()
        post = (
            f"POST {API}/portfolio/rebalance HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"X-API-Key: {ADMIN_KEY}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        with connected(served.port) as client:
            client.send(post + body + REQUEST + b"\r\n")
            first, second = client.response(), client.response()
        assert first is not None and first[0] == 422, first
        assert [error["field"] for error in json.loads(first[1])["errors"]] == ["pad"]
        assert second is not None and second[0] == 200, second


def put_config(*extra: bytes) -> bytes:
    """A `PUT /config` that would set `correlation_limit` to 0.5, with `extra` header lines."""
    body = json.dumps({"values": {"correlation_limit": 0.5}}).encode()
    head = (
        f"PUT {API}/config HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: {ADMIN_KEY}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    ).encode()
    return head + b"".join(extra) + b"\r\n" + body


def correlation_limit(port: int) -> object:
    with connected(port) as client:
        client.send(f"GET {API}/config HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode())
        client.send(f"X-API-Key: {ADMIN_KEY}\r\n\r\n".encode())
        answer = client.response()
    assert answer is not None and answer[0] == 200, answer
    return next(
        s["value"] for s in json.loads(answer[1])["settings"] if s["key"] == "correlation_limit"
    )


class TestMalformedRequests:
    """What the parser cannot read is answered as every refusal: a problem+json 400 in words
    (uvicorn's own was a text/plain "Invalid HTTP request received."), the connection closed,
    nothing changed."""

    @pytest.mark.parametrize(
        "request_bytes",
        [
            put_config(b"X-Note: a\x01b\r\n"),  # a control character in a value
            put_config(b"X Note: a\r\n"),  # a space in a name
            put_config(b"X-Note : a\r\n"),  # a space before the colon
            b"BREW " + put_config().split(b" ", 1)[1],  # a method HTTP does not define
            put_config(b"Content-Length: 1\r\n"),  # two lengths
        ],
        ids=["control-in-value", "space-in-name", "space-before-colon", "method", "two-lengths"],
    )
    def test_a_request_the_parser_refuses_is_a_problem_and_changes_nothing(
        self, served: Served, request_bytes: bytes
    ) -> None:
        before = correlation_limit(served.port)
        with connected(served.port) as client:
            client.send(REQUEST + b"\r\n" + request_bytes)  # one answered before it
            first, second, third = client.response(), client.response(), client.response()
        assert first is not None and first[0] == 200, first
        assert second is not None and second[0] == 400, second
        problem = json.loads(second[1])
        assert problem["type"].endswith(MALFORMED_SLUG) and problem["status"] == 400
        assert "header" in problem["detail"] and "Nothing was read or changed" in problem["detail"]
        assert third is None  # closed
        assert correlation_limit(served.port) == before != 0.5

    def test_a_malformed_chunk_is_a_problem_and_changes_nothing(self, served: Served) -> None:
        body = json.dumps({"values": {"correlation_limit": 0.5}}).encode()
        put = (
            f"PUT {API}/config HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: {ADMIN_KEY}\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        ).encode()
        before = correlation_limit(served.port)
        with connected(served.port) as client:
            client.send(put + b"zz\r\n" + body + b"\r\n0\r\n\r\n")  # no hex size
            answer = client.response()
        assert answer is not None and answer[0] == 400, answer
        assert json.loads(answer[1])["type"].endswith(MALFORMED_SLUG)
        assert correlation_limit(served.port) == before != 0.5
