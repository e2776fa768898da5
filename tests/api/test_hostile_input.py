"""Hostile input, generated from the OpenAPI document (tests/api/hostile.py): every input of every
operation (path, query, header and body), alone at the extremes of its type (numbers to 1e308
and past it, integers of 5000 digits, dates in years 1 and 9999 at odd offsets, strings at their
maxLength and one past it, UTF-8 text where a pattern asks for ASCII, as a server reads a header's
bytes, a JSON value of the wrong type), each object of a body with a key given twice, and a client
hanging up after a body's first byte, in a request otherwise valid, sent with the admin key so
that authorisation hides no validation. No answer is a 5xx; a 422 is problem+json naming the
field it refused; a case the field's schema refuses is refused; a key given twice is a 422
`duplicate_key` naming it; a hang-up is sent nothing (the service counts it as a 499); and a
refused request stores nothing (every table's rows are the same before and after it).

The valid requests are the walk's of tests/api/test_every_route.py, which sends every operation
once and fails on one it does not send: a route added tomorrow has its valid request there and
its hostile cases here, generated from its schema, with nothing to add. One case per operation
(60) runs on SQLite in the fast tier; the whole suite (`slow`: about 1 200 cases on the 60
operations at this writing, about 8 s in all on an idle machine) on PostgreSQL.

Why not Schemathesis: its coverage phase does try boundaries and wrong types, but it builds
bodies from Python values through `json.dumps`, which can write neither `1e999` nor an integer
of 5000 digits (past Python's digit limit), and its date strategies do not aim at the calendar's
edges. Its ASGI transport (`schemathesis.openapi.from_asgi`) drives the app through a synchronous
client in a thread and loop of its own, so it cannot share this suite's rolled-back session to
compare the tables around a refusal; and cases drawn by Hypothesis vary in number and cost, where
this suite's are counted and the same every run. A walk of the document is shorter and exact;
schemathesis keeps checking the deployed service in tests/contract/.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Column, DateTime, Numeric, TypeDecorator, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.alerts.models import Alert
from app.platform.core.environment import Environment
from app.platform.db.base import Base as Tables
from app.platform.db.engine import create_engine
from tests.api.asgi_calls import CLIENT_CLOSED, hung_up
from tests.api.hostile import (
    DUPLICATE,
    HANG_UP,
    Base,
    Case,
    known_keys,
    operation_cases,
    request_of,
)
from tests.api.test_every_route import API, UNIVERSE, Walk, walk_every_route
from tests.conftest import ADMIN_KEY, app_on_session, joined_session, simulator_environment
from tests.helpers import PROBLEM
from tests.sim_fixtures import live_clock_ms, running_simulator

ADMIN = {"X-API-Key": ADMIN_KEY}
CASE_TIMEOUT_S = 120
UNLIMITED = {
    f"{kind}_{part}": 1_000_000
    for kind in ("read", "heavy", "write")
    for part in ("per_s", "burst")
}


Pick = Callable[[list[Case]], list[Case]]


class HostileWalk(Walk):
    """The walk, sending each operation's hostile cases (those `pick` keeps) right after its
    valid request: they meet the state that made that request valid (a weight change, say,
    valid until a preset replaces the weights)."""

    def __init__(
        self, client: httpx.AsyncClient, app: ASGIApp, session: AsyncSession, pick: Pick
    ) -> None:
        super().__init__(client)
        self.app = app  # a hang-up is sent to it directly: httpx sends whole bodies
        self.session = session
        self.tables = TableWatch(session)
        self.pick = pick
        self.outcomes: list[Outcome] = []

    async def send(
        self,
        operation: str,
        method: str,
        path: str,
        key: dict[str, str],
        expected: int = 200,
        *,
        prefix: str = API,
        **request: Any,
    ) -> None:
        """Send `operation` as the walk does, then its hostile cases."""
        await super().send(operation, method, path, key, expected, prefix=prefix, **request)
        template, _ = self.operation(operation)
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
        matched = re.fullmatch(pattern, f"{prefix}{path}")
        assert matched, (template, path)
        query = dict(request.get("params") or {})
        await self.attack(
            operation, Base(method, template, matched.groupdict(), query, request.get("json"))
        )

    async def attack(self, operation_id: str, base: Base) -> None:
        """Send the hostile cases of `operation_id` built on `base`."""
        _, operation = self.operation(operation_id)
        known = known_keys(
            answer.response.json()
            for answer in self.answers.values()
            if answer.response.headers.get("content-type", "").startswith("application/json")
        )
        # The cases it must refuse first: one accepted (and stored) cannot change their state.
        chosen = self.pick(operation_cases(self.document, operation, base, known))
        states = await self.tables.states()
        for case in sorted(chosen, key=lambda case: not case.refused):
            # The tables after one case are those before the next: nothing runs between them.
            result, states = await outcome(self.client, self.app, self.tables, case, base, states)
            self.outcomes.append(result)
        await reload_expired(self.session)

    def operation(self, operation_id: str) -> tuple[str, dict[str, Any]]:
        """The path template and the document's operation of `operation_id`."""
        for template, by_method in self.document["paths"].items():
            for operation in by_method.values():
                if operation["operationId"] == operation_id:
                    return template, operation
        raise KeyError(operation_id)

    async def attack_the_rest(self) -> None:
        """The operations the walk did not send (the event stream, which it sends last, as the
        app stops), each from the document alone."""
        for template, by_method in self.document["paths"].items():
            for method, operation in by_method.items():
                if operation["operationId"] not in self.answers:
                    await self.attack(operation["operationId"], Base(method.upper(), template))


@dataclass(frozen=True)
class Outcome:
    """A case's answer, and what it changed in the tables.

    Wrong: a 5xx; a case the field's schema refuses answered 2xx or 3xx; a 422 that does not
    name the field, where the case must be refused or the problem is a validation error (a
    refusal for stored state, as a preset's weights, may name another); a 4xx that changed a
    table; any answer that stored an infinite or NaN value."""

    case: Case
    status: int
    media: str
    body: Any
    tables_changed: list[str]
    stored_non_finite: list[str]

    def wrong(self) -> str:
        """What is wrong with the answer ("" when nothing is)."""
        if self.case.label == HANG_UP and self.status != CLIENT_CLOSED:
            return f"answered {self.status} to a client that hung up: {str(self.body)[:120]}"
        if self.status >= 500:
            return f"{self.status}: {str(self.body)[:200]}"
        if self.case.label == DUPLICATE and not self._coded("duplicate_key"):
            return f"{self.status}, not refused as a key given twice: {self._errors()[:160]}"
        if self.case.refused and self.status < 400:
            return f"accepted with {self.status}: {str(self.body)[:120]}"
        if self.status == 422 and (self.case.refused or self._validation()) and not self._named():
            return f"422 does not name {self.case.field_name}: {self._errors()[:200]}"
        if 400 <= self.status < 500 and self.tables_changed:
            return f"{self.status}, yet changed {', '.join(self.tables_changed)}"
        if self.stored_non_finite:
            return f"{self.status}, stored infinity in {', '.join(self.stored_non_finite)}"
        return ""

    def _validation(self) -> bool:
        return isinstance(self.body, dict) and str(self.body.get("type")).endswith(
            ":validation-error"
        )

    def _named(self) -> bool:
        """The refusal names the field: an error's `field` (dotted) holds its name, or, for a
        problem listing no errors, its `detail` says it. A free-form object's key may be named
        by its object's error saying the key ("parameters: unknown parameter risk")."""
        if self.media != PROBLEM or not isinstance(self.body, dict):
            return False
        name = self.case.field_name
        if "errors" not in self.body:
            return _says(str(self.body.get("detail")), name)
        holder = str(self.case.where[-2]) if self.case.free_key else None
        for error in self.body["errors"]:
            parts = str(error.get("field", "")).split(".")
            if name in parts or (holder in parts and _says(str(error.get("message")), name)):
                return True
        return False

    def _coded(self, code: str) -> bool:
        """A 422 one of whose errors has `code`."""
        errors = self.body.get("errors", []) if isinstance(self.body, dict) else []
        return self.status == 422 and any(error.get("code") == code for error in errors)

    def _errors(self) -> str:
        if isinstance(self.body, dict):
            return str(self.body.get("errors", self.body.get("detail")))
        return str(self.body)


def _says(text: str, name: str) -> bool:
    return re.search(rf"\b{re.escape(name)}\b", text) is not None


@dataclass(frozen=True)
class TableState:
    """A table's rows as a digest (in any order), and how many of its values are infinite or
    NaN (a timestamp PostgreSQL stores as `infinity`, a float or numeric one)."""

    digest: str
    non_finite: int


class TableWatch:
    """The states of the tables of `session`'s database, read on demand, and again only once
    the connection has written since the last read: reading every table around each case cost
    most of the walk's time. A write is counted even when rolled back (a refusal's savepoint),
    so the states are read again then, and they judge. PostgreSQL reads them in one query."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._read: tuple[int, dict[str, TableState]] | None = None

    async def states(self) -> dict[str, TableState]:
        """Each table's state now."""
        postgres = self.session.bind.dialect.name == "postgresql"
        changes = await self.session.execute(POSTGRES_WRITES if postgres else SQLITE_WRITES)
        count = changes.scalar_one()
        if self._read is None or self._read[0] != count:
            read = _postgres_states if postgres else _sqlite_states
            self._read = (count, await read(self.session))
        return self._read[1]


# Rows this connection has written (inserted, updated or deleted), whether kept or not: SQLite's
# since the connection opened; PostgreSQL's in its transaction, the test's one.
SQLITE_WRITES = text("SELECT total_changes()")
POSTGRES_WRITES = text(
    "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables"
)


async def _sqlite_states(session: AsyncSession) -> dict[str, TableState]:
    states = {}
    for table in Tables.metadata.sorted_tables:
        rows = (await session.execute(select(table))).all()
        digest = hashlib.sha256("\n".join(sorted(repr(tuple(row)) for row in rows)).encode())
        odd = sum(_non_finite(value) for row in rows for value in row)
        states[table.name] = TableState(digest.hexdigest(), odd)
    return states


def _non_finite(value: object) -> bool:
    if isinstance(value, float | Decimal):
        return not math.isfinite(value)
    return isinstance(value, datetime) and value.replace(tzinfo=None) in (
        datetime.min,
        datetime.max,
    )


async def _postgres_states(session: AsyncSession) -> dict[str, TableState]:
    """Each table's row count, an order-free sum of its rows' `ctid` hashes (an insert, an
    update or a delete moves one) and its non-finite values, in one round trip: reading the
    rows themselves, for each of a thousand cases, cost minutes of the server's CPU."""
    selects = []
    for table in Tables.metadata.sorted_tables:
        odd = " + ".join(
            f"count(*) FILTER (WHERE {_postgres_non_finite(column)})"
            for column in table.columns
            if _postgres_non_finite(column)
        )
        selects.append(
            f"SELECT '{table.name}', count(*) || ':' || coalesce(sum(hashtext(ctid::text)), 0),"
            f' {odd or "0"} FROM "{table.name}"'
        )
    rows = (await session.execute(text(" UNION ALL ".join(selects)))).all()
    return {name: TableState(digest, int(odd)) for name, digest, odd in rows}


def _postgres_non_finite(column: Column[Any]) -> str:
    """The condition on `column` that its value is infinite or NaN ("" for a type that holds
    neither)."""
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    if isinstance(kind, DateTime):
        return f'NOT isfinite("{column.name}")'
    if isinstance(kind, Numeric):  # Float too
        return f"\"{column.name}\" IN ('Infinity', '-Infinity', 'NaN')"
    return ""


async def outcome(
    client: httpx.AsyncClient,
    app: ASGIApp,
    tables: TableWatch,
    case: Case,
    base: Base,
    before: dict[str, TableState],
) -> tuple[Outcome, dict[str, TableState]]:
    """Send `case` and compare the tables around it (`before`, read just before it); the
    outcome, and the tables after it."""
    method, path, query, sent, body = request_of(case, base)
    typed = {"content-type": "application/json"} if body is not None else {}
    # Header values as bytes, as a client sends them: a latin-1 case is the bytes of UTF-8 text.
    every = {**sent, **ADMIN, **typed}
    headers = [(name.encode(), value.encode("latin-1")) for name, value in every.items()]
    if case.label == HANG_UP:
        status, media, content = await hung_up(app, method, path, headers, query)
    else:
        response = await asyncio.wait_for(
            client.request(method, path, params=query, content=body, headers=headers),
            CASE_TIMEOUT_S,
        )
        status = response.status_code
        media = response.headers.get("content-type", "").split(";")[0]
        content = response.json() if media.endswith("json") else response.text[:200]
    after = await tables.states()
    changed = sorted(name for name in before if before[name].digest != after[name].digest)
    infinite = sorted(name for name in before if before[name].non_finite < after[name].non_finite)
    return Outcome(case, status, media, content, changed, infinite), after


async def reload_expired(session: AsyncSession) -> None:
    """Load again the rows the walk holds that a refused request's rollback expired (the walk
    reads their ids later, and a lazy load cannot run under asyncio)."""
    for row in list(session.identity_map.values()):
        if inspect(row).expired:
            await session.refresh(row)


def ending_streams(app: FastAPI) -> ASGIApp:
    """`app`, its event stream told the client left once the stream has begun (httpx's ASGI
    transport hands over an answer only once it is complete, and a stream never completes)."""

    async def ended(scope: Scope, receive: Receive, send: Send) -> None:
        began = False

        async def sending(message: Message) -> None:
            nonlocal began
            await send(message)
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                began = headers.get(b"content-type", b"").startswith(b"text/event-stream")

        async def receiving() -> Message:
            return {"type": "http.disconnect"} if began else await receive()

        await app(scope, receiving, sending)

    return ended


async def hostile_walk(
    database_url: str, make_environment: Callable[..., Environment], pick: Pick
) -> HostileWalk:
    """The walk with the hostile cases `pick` keeps, on a started app on `database_url` in a
    transaction rolled back at the end."""
    engine = create_engine(make_environment(database_url))
    try:
        async with (
            engine.connect() as connection,
            running_simulator(universe=UNIVERSE, start_time_ms=live_clock_ms()) as sim,
        ):
            transaction = await connection.begin()
            try:
                async with joined_session(connection) as session:
                    # One caller on purpose: a case answered 429 would be judged on nothing.
                    unlimited = functools.partial(make_environment, limits=UNLIMITED)
                    environment = simulator_environment(unlimited, database_url, sim.base_url)
                    app = app_on_session(environment, session)
                    transport = httpx.ASGITransport(app=ending_streams(app))
                    async with (
                        httpx.AsyncClient(transport=transport, base_url="http://t.test") as client,
                        app.router.lifespan_context(app),
                    ):
                        await app.state.app_state.runs.swept.wait()
                        walk = HostileWalk(client, app, session, pick)
                        await walk_every_route(walk, session)
                        await walk.attack_the_rest()
                        return walk
            finally:
                await transaction.rollback()
    finally:
        await engine.dispose()


def wrong_answers(outcomes: list[Outcome]) -> str:
    """Each case answered wrongly, one a line ("" when none is)."""
    wrong = [f"{o.case.name}: {problem}" for o in outcomes if (problem := o.wrong())]
    return f"{len(wrong)} of {len(outcomes)} cases:\n" + "\n".join(wrong) if wrong else ""


def one_per_operation(found: list[Case]) -> list[Case]:
    """The most telling case of an operation: an integer too long to parse where it takes a
    number (in its body first), else a number past a double's range, else a string one past its
    limit, else the first case it must refuse, else its first."""
    rank = {"+5000 digits": 0, "1e999": 1, "maxLength+1": 2}

    def telling(case: Case) -> tuple[bool, int, bool]:
        return not case.refused, rank.get(case.label, 3), case.location != "body"

    return sorted(found, key=telling)[:1]


def every_case(found: list[Case]) -> list[Case]:
    return found


def operations_attacked(walk: HostileWalk) -> list[str]:
    """Each operation of the document a case was sent to (every one, unless one has no input)."""
    documented = [o for by_method in walk.document["paths"].values() for o in by_method.values()]
    attacked = {outcome.case.operation for outcome in walk.outcomes}
    return [o["operationId"] for o in documented if o["operationId"] in attacked]


async def test_one_hostile_case_per_operation(
    sqlite_file_url: str, make_environment: Callable[..., Environment]
) -> None:
    walk = await hostile_walk(sqlite_file_url, make_environment, one_per_operation)
    assert len(operations_attacked(walk)) == len(walk.outcomes) == len(walk.answers) + 1  # events
    wrong = wrong_answers(walk.outcomes)
    assert not wrong, wrong


@pytest.mark.slow
async def test_every_hostile_case(
    postgres_url: str, make_environment: Callable[..., Environment]
) -> None:
    walk = await hostile_walk(postgres_url, make_environment, every_case)
    assert len(operations_attacked(walk)) == len(walk.answers) + 1
    assert len(walk.outcomes) >= 1000
    headers = [o for o in walk.outcomes if o.case.location == "header"]
    assert {o.case.field_name for o in headers} == {"Idempotency-Key"}  # the one documented
    assert {o.case.label for o in headers if o.status == 422} == {"maxLength+1", "latin-1"}
    # The tables' digest sees a write: an accepted case that stores (a signal, a PnL report).
    assert any(o.tables_changed for o in walk.outcomes if o.status < 300)
    # Every operation taking a body met a key given twice and a client that hung up.
    bodies = {o.case.operation for o in walk.outcomes if o.case.location == "body"}
    for label in (DUPLICATE, HANG_UP):
        assert {o.case.operation for o in walk.outcomes if o.case.label == label} == bodies
    wrong = wrong_answers(walk.outcomes)
    assert not wrong, wrong


@pytest.fixture(params=["postgres_url", "sqlite_file_url"])
def walked_database(request: pytest.FixtureRequest) -> str:
    """Each database a walk runs on (this folder's `database_url` is PostgreSQL's alone)."""
    return str(request.getfixturevalue(request.param))


async def test_the_table_watch_sees_a_kept_write_and_no_rolled_back_one(
    walked_database: str, make_environment: Callable[..., Environment]
) -> None:
    engine = create_engine(make_environment(walked_database))
    try:
        async with engine.connect() as connection:
            transaction = await connection.begin()
            try:
                async with joined_session(connection) as session:
                    await assert_the_watch_sees_kept_writes(session)
            finally:
                await transaction.rollback()
    finally:
        await engine.dispose()


async def assert_the_watch_sees_kept_writes(session: AsyncSession) -> None:
    watch = TableWatch(session)
    before = await watch.states()
    assert await watch.states() == before  # nothing written: the states read before
    alert = {"kind": "t", "fingerprint": "t", "message": "t"}
    refused = await session.begin_nested()
    session.add(Alert(**alert))
    await session.flush()
    await refused.rollback()
    assert await watch.states() == before  # written, then rolled back: read again, the same
    session.add(Alert(**alert))
    await session.flush()
    after = await watch.states()
    assert [name for name in before if after[name] != before[name]] == ["alert"]
