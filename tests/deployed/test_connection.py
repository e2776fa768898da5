"""One connection to the service as the image starts it (its uvicorn flags, read from the
Dockerfile: `--limit-concurrency 1024 --proxy-headers` and the bounded protocol), on both
databases, written raw: requests pipelined on it are answered in order and each write runs once;
a client that sends its requests and half-closes is answered every one (before: closed at once,
a write that had read its body ran without its answer); a refusal comes after the answers to the
requests before it and nothing behind it runs (before: a malformed chunk or an overlong trailer
behind a write answered 400 or closed at once, and the write ran without its answer); a
transfer coding other than chunked is a 501 and an expectation other than `100-continue` a 417
(before: read as chunked, and ignored); `100 Continue` is sent only to a caller whose key and role
are good (before: to anyone, ahead of the 401 or 403), and never to HTTP/1.0."""

from __future__ import annotations

import asyncio
import gzip
import json
import shlex
import socket
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx
import pytest

from app.platform.runtime.http_head import HEAD_MAX_BYTES, MALFORMED_SLUG, SLUG
from tests.conftest import ADMIN_KEY, BACKENDS
from tests.databases import (
    drop_postgres_database,
    migrated_postgres_database,
    migrated_sqlite_url,
)
from tests.deployed import API, ROOT, process, service_env, uvicorn, wait_for
from tests.sim_fixtures import free_port

NOBODY_LISTENS = 9  # KuCoin's port: nothing here needs the exchange
READ_KEY = "connection-read-key-0123456789"
READ_S = 10.0  # how long an answer, or the connection's end, may take
KEEP_ALIVE_S = 5.0  # uvicorn's default, the image's: an idle connection is closed after it
CODING_SLUG = "transfer-coding-not-implemented"  # the problems' types, as docs/api.md names them
EXPECTATION_SLUG = "expectation-failed"


def image_flags() -> list[str]:
    """The image's uvicorn flags (its CMD) but its address and `--http`, which `uvicorn` sets."""
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    (cmd,) = [line for line in lines if line.startswith("CMD [")]  # not HEALTHCHECK's
    shell = json.loads(cmd.removeprefix("CMD "))[-1]
    args = shlex.split(shell.split("uvicorn app.main:app", 1)[1])
    flags: list[str] = []
    while args:
        arg = args.pop(0)
        if arg in ("--host", "--port", "--http"):
            args.pop(0)
        else:
            flags.append(arg)
    assert "--limit-concurrency" in flags and "--proxy-headers" in flags, flags
    return flags


@dataclass(frozen=True)
class Served:
    port: int

    def key_names(self) -> list[str]:
        """The stored API keys' names, oldest first: what the writes here made."""
        response = httpx.get(
            f"http://127.0.0.1:{self.port}{API}/api-keys",
            params={"limit": 1000},
            headers={"X-API-Key": ADMIN_KEY},
        )
        assert response.status_code == 200, response.text
        return [key["name"] for key in response.json()]


@pytest.fixture(scope="module", params=BACKENDS)
async def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Served]:
    """The service in a uvicorn process started with the image's flags, on a fresh database."""
    directory = tmp_path_factory.mktemp("connection")
    port = free_port()
    args = uvicorn("app.main:app", port) + image_flags()
    backend = request.param
    if backend == "postgresql":
        database = await migrated_postgres_database()
    else:
        database = await migrated_sqlite_url(directory)
    try:
        keys = f"admin:{ADMIN_KEY},read:{READ_KEY}"
        env = service_env(database, NOBODY_LISTENS, ADMIN_KEY, MYSYMBOLS_API_KEYS=keys)
        with process(args, env, None, directory / "service.log"):
            await asyncio.to_thread(wait_for, f"http://127.0.0.1:{port}{API}/health", 120)
            yield Served(port)
    finally:
        if backend == "postgresql":
            await drop_postgres_database(database)


@dataclass
class Answer:
    status: int
    headers: dict[bytes, bytes]
    body: bytes

    def problem(self) -> dict[str, object]:
        assert self.headers[b"content-type"] == b"application/problem+json", self.headers
        document: dict[str, object] = json.loads(self.body)
        return document


@dataclass
class Client:
    """One connection, written raw and read one answer at a time (an interim `100 Continue`
    is an answer of its own)."""

    sock: socket.socket
    unread: bytes = field(default=b"")

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def half_close(self) -> None:
        """Send nothing more (FIN), reading on: what `nc -N` or `shutdown(SHUT_WR)` does."""
        self.sock.shutdown(socket.SHUT_WR)

    def answer(self, head_only: bool = False) -> Answer | None:
        """The next answer; None when the server closed the connection without one."""
        try:
            while b"\r\n\r\n" not in self.unread:
                if not self._read():
                    return None
            head, _, self.unread = self.unread.partition(b"\r\n\r\n")
            line, *lines = head.split(b"\r\n")
            fields = dict(item.lower().split(b": ", 1) for item in lines)
            status = int(line.split()[1])
            if status < 200 or head_only:
                return Answer(status, fields, b"")
            if fields.get(b"transfer-encoding") == b"chunked":
                return Answer(status, fields, self._chunks())
            length = int(fields[b"content-length"])
            while len(self.unread) < length:
                if not self._read():
                    return None
        except ConnectionResetError:
            return None
        body, self.unread = self.unread[:length], self.unread[length:]
        return Answer(status, fields, body)

    def answers(self, count: int) -> list[Answer | None]:
        return [self.answer() for _ in range(count)]

    def closed_within(self, seconds: float) -> bool:
        """Whether the server closes the connection, with nothing more sent, within `seconds`."""
        started = time.monotonic()
        try:
            ended = self.unread == b"" and not self._read()
        except ConnectionResetError:
            ended = True
        except TimeoutError:
            return False
        return ended and time.monotonic() - started < seconds

    def _chunks(self) -> bytes:
        body = b""
        while True:
            while b"\r\n" not in self.unread:
                self._read()
            size_line, _, self.unread = self.unread.partition(b"\r\n")
            size = int(size_line, 16)
            while len(self.unread) < size + 2:
                self._read()
            body, self.unread = body + self.unread[:size], self.unread[size + 2 :]
            if size == 0:
                return body

    def _read(self) -> bool:
        chunk = self.sock.recv(65536)
        self.unread += chunk
        return bool(chunk)


@contextmanager
def connected(served: Served) -> Iterator[Client]:
    with socket.create_connection(("127.0.0.1", served.port), timeout=READ_S) as sock:
        yield Client(sock)


def health() -> bytes:
    return f"GET {API}/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()


def key_request(name: str) -> bytes:
    """A key's creation, `name` its name: the body."""
    return json.dumps({"name": name, "role": "read"}).encode()


def create_key(name: str, *extra: bytes, key: str = ADMIN_KEY, version: str = "1.1") -> bytes:
    """`POST /api-keys` creating a key named `name` (its effect: one more stored key), with
    `extra` header lines."""
    body = key_request(name)
    keyed = f"X-API-Key: {key}\r\n" if key else ""
    head = (
        f"POST {API}/api-keys HTTP/{version}\r\nHost: 127.0.0.1\r\n{keyed}"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    ).encode()
    return head + b"".join(extra) + b"\r\n" + body


def create_key_chunked(name: str, coding: bytes = b"chunked", body: bytes | None = None) -> bytes:
    """`POST /api-keys` as a chunked body (`body`, the key's request unless given) with
    `Transfer-Encoding: <coding>`, its chunks and an empty trailer."""
    payload = key_request(name) if body is None else body
    head = (
        f"POST {API}/api-keys HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: {ADMIN_KEY}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: "
    ).encode()
    return head + coding + b"\r\n\r\n%x\r\n%s\r\n0\r\n\r\n" % (len(payload), payload)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def statuses(answers: list[Answer | None]) -> list[int | None]:
    return [None if answer is None else answer.status for answer in answers]


def created(answer: Answer | None) -> str:
    """The name of the key `answer` created (a 201)."""
    assert answer is not None and answer.status == 201, answer
    return str(json.loads(answer.body)["name"])


class TestPipelined:
    def test_a_get_and_a_post_are_answered_in_order(self, served: Served) -> None:
        name = unique("pipelined")
        with connected(served) as client:
            client.send(health() + create_key(name))
            first, second = client.answers(2)
        assert first is not None and first.status == 200, first
        assert created(second) == name
        assert served.key_names().count(name) == 1

    def test_a_post_behind_a_post_is_answered_in_order(self, served: Served) -> None:
        first, second = unique("first"), unique("second")
        with connected(served) as client:
            client.send(create_key(first) + create_key(second))
            answers = client.answers(2)
        assert [created(answer) for answer in answers] == [first, second]
        names = served.key_names()
        assert (names.count(first), names.count(second)) == (1, 1)
        assert names.index(first) < names.index(second)

    def test_many_requests_are_answered_in_order(self, served: Served) -> None:
        names = [unique(f"many{i}") for i in range(5)]
        with connected(served) as client:
            client.send(b"".join(health() + create_key(name) for name in names))
            answers = client.answers(10)
        assert statuses(answers[::2]) == [200] * 5
        assert [created(answer) for answer in answers[1::2]] == names
        stored = served.key_names()
        assert [stored.count(name) for name in names] == [1] * 5


class TestHalfClosed:
    """A client that sends its requests and shuts its side for writing (FIN) reads on: each
    request it sent whole is answered, in order, then the connection is closed (before the
    keep-alive timeout, which would mean it was left open). Before: closed at once, so a write
    whose route had read its body ran to its commit and its answer was lost."""

    def test_a_get_and_a_post_sent_then_half_closed_are_answered(self, served: Served) -> None:
        name = unique("half-closed")
        with connected(served) as client:
            client.send(health() + create_key(name))
            client.half_close()
            first, second = client.answers(2)
            assert client.closed_within(KEEP_ALIVE_S)
        assert first is not None and first.status == 200, first
        assert created(second) == name
        assert served.key_names().count(name) == 1

    def test_a_post_sent_alone_then_half_closed_is_answered(self, served: Served) -> None:
        name = unique("alone")
        with connected(served) as client:
            client.send(create_key(name))
            client.half_close()
            answer = client.answer()
            assert client.closed_within(KEEP_ALIVE_S)
        assert created(answer) == name
        assert served.key_names().count(name) == 1

    def test_a_post_behind_a_post_then_half_closed_are_answered(self, served: Served) -> None:
        first, second = unique("first"), unique("second")
        with connected(served) as client:
            client.send(create_key(first) + create_key(second))
            client.half_close()
            answers = client.answers(2)
        assert [created(answer) for answer in answers] == [first, second]
        names = served.key_names()
        assert (names.count(first), names.count(second)) == (1, 1)

    def test_a_body_cut_short_by_the_half_close_is_a_hang_up(self, served: Served) -> None:
        """The request can never arrive whole: closed without an answer, nothing written."""
        name = unique("cut-short")
        request = create_key(name)
        with connected(served) as client:
            client.send(request[:-5])
            client.half_close()
            assert client.answer() is None
        assert name not in served.key_names()


class TestRefusalsInTheirPlace:
    """A request the service refuses on the connection is answered after the requests before
    it, whose writes ran once each, and nothing sent behind it runs; the connection closes."""

    def test_a_request_behind_an_oversized_head_is_not_run(self, served: Served) -> None:
        before, behind = unique("before"), unique("behind")
        oversized = health()[:-2] + b"X-Pad: " + b"a" * HEAD_MAX_BYTES + b"\r\n\r\n"
        with connected(served) as client:
            client.send(create_key(before) + oversized + create_key(behind))
            first, second, third = client.answers(3)
        assert created(first) == before
        assert second is not None and second.status == 431, second
        assert str(second.problem()["type"]).endswith(SLUG)
        assert third is None
        names = served.key_names()
        assert names.count(before) == 1 and behind not in names

    def test_a_request_behind_a_malformed_head_is_not_run(self, served: Served) -> None:
        before, behind = unique("before"), unique("behind")
        with connected(served) as client:
            malformed = create_key(unique("malformed"), b"X Bad: a\r\n")  # a space in a name
            client.send(create_key(before) + malformed + create_key(behind))
            first, second, third = client.answers(3)
        assert created(first) == before
        assert second is not None and second.status == 400, second
        assert str(second.problem()["type"]).endswith(MALFORMED_SLUG)
        assert third is None
        names = served.key_names()
        assert names.count(before) == 1 and behind not in names

    def test_a_malformed_chunk_behind_a_post_comes_after_its_answer(self, served: Served) -> None:
        """Before: the 400 went out at once and the connection closed, while the write before
        it ran: stored, its answer lost."""
        before, malformed = unique("before"), unique("malformed")
        broken = create_key_chunked(malformed).replace(b"\r\n\r\n", b"\r\n\r\nzz", 1)
        with connected(served) as client:
            client.send(create_key(before) + broken)
            first, second, third = client.answers(3)
        assert created(first) == before
        assert second is not None and second.status == 400, second
        assert str(second.problem()["type"]).endswith(MALFORMED_SLUG)
        assert third is None
        names = served.key_names()
        assert names.count(before) == 1 and malformed not in names

    def test_an_overlong_trailer_behind_a_post_is_answered(self, served: Served) -> None:
        """A chunked request whose trailer passes the limit, never ended, behind a write: the
        write is answered, then the connection is closed. Before: closed at once, the write
        stored and its answer lost."""
        before, behind = unique("before"), unique("trailer")
        request = create_key_chunked(behind).removesuffix(b"\r\n")
        trailer = b"X-Trailer: " + b"a" * (4 * HEAD_MAX_BYTES)  # never ended
        with connected(served) as client:
            client.send(create_key(before) + request + trailer)
            first, second = client.answers(2)
        assert created(first) == before
        assert second is None
        names = served.key_names()
        assert names.count(before) == 1 and behind not in names


class TestTransferCodings:
    """RFC 9112 section 6.1: a coding the server does not undo is a 501; the body is never
    read as if it were not there (before: `gzip, chunked` was read as chunked alone)."""

    @pytest.mark.parametrize(
        "coding",
        [b"gzip, chunked", b"gzip\r\nTransfer-Encoding: chunked", b"deflate ,chunked"],
        ids=["listed", "two-fields", "spaced"],
    )
    def test_a_coding_besides_chunked_is_501_and_changes_nothing(
        self, served: Served, coding: bytes
    ) -> None:
        name = unique("coded")
        body = gzip.compress(key_request(name))
        with connected(served) as client:
            client.send(create_key_chunked(name, coding, body))
            answer, after = client.answers(2)
        assert answer is not None and answer.status == 501, answer
        problem = answer.problem()
        assert str(problem["type"]).endswith(CODING_SLUG) and problem["status"] == 501
        assert "chunked" in str(problem["detail"])
        assert after is None  # closed
        assert name not in served.key_names()

    def test_a_501_comes_after_the_answer_before_it(self, served: Served) -> None:
        before, coded = unique("before"), unique("coded")
        with connected(served) as client:
            client.send(create_key(before) + create_key_chunked(coded, b"gzip, chunked"))
            first, second = client.answers(2)
        assert created(first) == before
        assert second is not None and second.status == 501, second
        names = served.key_names()
        assert names.count(before) == 1 and coded not in names

    def test_a_last_coding_other_than_chunked_is_malformed(self, served: Served) -> None:
        """RFC 9112 section 6.3: the body has no length the server can know (llhttp's 400)."""
        name = unique("unframed")
        with connected(served) as client:
            client.send(create_key_chunked(name, b"gzip", gzip.compress(key_request(name))))
            answer = client.answer()
        assert answer is not None and answer.status == 400, answer
        assert str(answer.problem()["type"]).endswith(MALFORMED_SLUG)
        assert name not in served.key_names()

    @pytest.mark.parametrize("coding", [b"chunked", b"Chunked", b" chunked "])
    def test_chunked_alone_is_read(self, served: Served, coding: bytes) -> None:
        name = unique("chunked")
        with connected(served) as client:
            client.send(create_key_chunked(name, coding))
            assert created(client.answer()) == name


class TestExpectations:
    """RFC 9110 section 10.1.1: an expectation the server does not meet is a 417; `100
    Continue` is sent only once the caller's key is good, and never to HTTP/1.0."""

    @pytest.mark.parametrize("expect", [b"200-ok", b"100-continue, 200-ok", b"Continue"])
    def test_an_expectation_other_than_100_continue_is_417(
        self, served: Served, expect: bytes
    ) -> None:
        name = unique("expecting")
        with connected(served) as client:
            client.send(create_key(name, b"Expect: " + expect + b"\r\n"))
            answer = client.answer()
        assert answer is not None and answer.status == 417, answer
        problem = answer.problem()
        assert str(problem["type"]).endswith(EXPECTATION_SLUG) and problem["status"] == 417
        assert "100-continue" in str(problem["detail"])
        assert name not in served.key_names()

    @pytest.mark.parametrize(
        ("key", "status"),
        [("", 401), ("not-a-key-of-this-service-0123", 401), (READ_KEY, 403)],
        ids=["none", "bad", "too-small-a-role"],
    )
    def test_100_continue_without_a_good_key_is_refused_and_no_100(
        self, served: Served, key: str, status: int
    ) -> None:
        """The head alone is sent, as a client waiting for `100 Continue` does: the first
        answer is the refusal. Before: `100 Continue` came first, inviting the body."""
        request = create_key(unique("unkeyed"), b"Expect: 100-continue\r\n", key=key)
        head = request.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
        with connected(served) as client:
            client.send(head)
            answer = client.answer()
        assert answer is not None and answer.status == status, answer

    def test_100_continue_with_a_good_key_invites_the_body(self, served: Served) -> None:
        name = unique("continued")
        head, body = create_key(name, b"Expect: 100-Continue\r\n").split(b"\r\n\r\n", 1)
        with connected(served) as client:
            client.send(head + b"\r\n\r\n")
            interim = client.answer()
            assert interim is not None and interim.status == 100, interim
            client.send(body)
            assert created(client.answer()) == name

    def test_no_100_continue_is_sent_to_http_1_0(self, served: Served) -> None:
        name = unique("http10")
        with connected(served) as client:
            client.send(create_key(name, b"Expect: 100-continue\r\n", version="1.0"))
            answer = client.answer()
        assert created(answer) == name
