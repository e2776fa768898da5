"""SQLite's one writer: every write transaction of this process goes through one connection, in
turn; reads run on connections of their own beside it (WAL).

SQLite lets one connection write at a time, and a transaction that read before its first write
is refused at once ("database is locked", no wait) when another connection has committed since
its read: its snapshot is too old to write from. So, on SQLite:
- the engine the app holds is the writer: a pool of one connection, each of whose transactions
  begins `IMMEDIATE` (it holds the write lock from its start). Waiting for that connection is a
  write's turn: first come, first served, bounded by `database.statement_timeout_s` (as a lock
  wait is on PostgreSQL). Another process writing the file (`migrate`, `import-history`, a
  second replica) is waited for with the busy timeout, `database.sqlite_busy_timeout_s`;
- the readers, its `readers` engine: deferred transactions that never write;
- a session (`session_base`) reads on a reader until its transaction writes, locks rows
  (`FOR UPDATE`) or takes its turn (`take_write_turn`); from then to its end every statement runs
  on the writer, which sees the newest commits, so no write ever meets an old snapshot. A unit of
  work whose reads decide its writes takes its turn before those reads.
A write statement sent to a reader is a bug, refused before it runs (`WriteOnReader`): Core
writes on the session's connection take it from `write_connection`.

The writer's transactions are kept short: each one's hold is measured (`follow_write_turns`),
and one longer than `LONG_HOLD_S` is logged with its first statement.
"""

from __future__ import annotations

import logging
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, TextClause, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.sql.dml import UpdateBase

from app.platform.core.environment import Environment
from app.platform.db.json_text import serialize
from app.platform.observability.pool import MeteredQueuePool

logger = logging.getLogger(__name__)

LONG_HOLD_S = 1.0
"""A write transaction holding the writer longer than this is logged (every other write, a
person's request included, waits that long)."""

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")
_WRITING = "sqlite_writing"  # session.info: this transaction runs on the writer
_SINCE, _FIRST = "sqlite_turn_since", "sqlite_turn_first"

_readers: weakref.WeakKeyDictionary[Engine, AsyncEngine] = weakref.WeakKeyDictionary()


class WriteOnReader(RuntimeError):
    """A write statement reached a reader connection: the session did not route it (a write
    through `session.connection()` must take its turn first)."""


@dataclass(frozen=True)
class WriteTurn:
    """One transaction's hold of the writer: how long, and its first statement."""

    seconds: float
    first_statement: str
    committed: bool


def create_sqlite_engine(
    environment: Environment, setup: Callable[[AsyncEngine], None]
) -> AsyncEngine:
    """The writer engine, with its readers beside it (`readers`); `setup` is run on both (the
    failure mapping, the slow-query log)."""
    db = environment.database
    common: dict[str, Any] = {
        # The busy timeout: how long a connection waits for another process's write lock.
        "connect_args": {"timeout": db.sqlite_busy_timeout_s},
        "json_serializer": serialize,
        "hide_parameters": True,
        "poolclass": MeteredQueuePool,  # a write that waited its turn counts as a pool wait
    }
    writer = create_async_engine(
        environment.database_url,
        pool_size=1,
        max_overflow=0,
        pool_timeout=db.statement_timeout_s,
        **common,
    )
    reader = create_async_engine(
        environment.database_url,
        pool_size=db.pool_size,
        max_overflow=db.max_overflow,
        pool_timeout=db.connect_timeout_s,
        **common,
    )
    _make_transactional(writer, begin="BEGIN IMMEDIATE")
    _make_transactional(reader, begin="BEGIN")
    _refuse_writes(reader)
    follow_write_turns(writer)
    for engine in (writer, reader):
        setup(engine)
    _readers[writer.sync_engine] = reader

    @event.listens_for(writer.sync_engine, "engine_disposed")
    def disposed(_engine: Engine) -> None:
        reader.sync_engine.dispose()  # within the writer's own dispose (its greenlet)

    return writer


def readers(engine: AsyncEngine) -> AsyncEngine:
    """Where `engine`'s reads belong: its readers on SQLite, the engine itself elsewhere."""
    return _readers.get(engine.sync_engine, engine)


def session_base(writer: AsyncEngine) -> type[Session]:
    """The session class for `writer`: on SQLite, one whose sessions read on the readers until
    their transaction writes, then run all of it on the writer; elsewhere `Session`."""
    reader = _readers.get(writer.sync_engine)
    if reader is None:
        return Session
    write_bind, read_bind = writer.sync_engine, reader.sync_engine

    class RoutedSession(Session):
        def get_bind(self, mapper: Any = None, clause: Any = None, **_: Any) -> Engine:
            if self.info.get(_WRITING) or self._flushing or _writes(clause):
                self.info[_WRITING] = True
                return write_bind
            return read_bind

    @event.listens_for(RoutedSession, "after_transaction_end")
    def ended(session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is None:
            session.info.pop(_WRITING, None)

    return RoutedSession


async def take_write_turn(session: AsyncSession) -> None:
    """SQLite: run `session`'s transaction on the writer from now on, waiting for its turn
    here, before the reads that decide its writes; nothing on PostgreSQL, whose writers lock
    rows, not the database."""
    if session.get_bind().dialect.name == "sqlite":
        session.info[_WRITING] = True
        await session.connection()  # the writer's turn, its transaction begun IMMEDIATE


async def write_connection(session: AsyncSession) -> AsyncConnection:
    """`session`'s connection for Core writes (on SQLite, the writer's: its turn taken)."""
    await take_write_turn(session)
    return await session.connection()


async def end_write_turn(session: AsyncSession) -> None:
    """SQLite: commit what `session`'s long work has written so far, so that it holds the
    writer for one step, not for the whole work; nothing on PostgreSQL, whose long work stays
    one transaction. For steps whose writes stand on their own (stored market data): what
    follows failing does not undo them."""
    if session.get_bind().dialect.name == "sqlite":
        await session.commit()


def follow_write_turns(
    engine: AsyncEngine, observe: Callable[[WriteTurn], None] | None = None
) -> None:
    """Time every transaction of the writer `engine` from its begin to its end: `observe`
    hears each one; without it (the engine's own follower), one over `LONG_HOLD_S` is logged.
    Safe on a connection that failed: it reads nothing a broken connection must not give."""
    since_key, first_key = (_SINCE, id(observe)), (_FIRST, id(observe))  # one per follower

    @event.listens_for(engine.sync_engine, "after_cursor_execute")
    def executed(
        conn: Connection, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
    ) -> None:  # after: the wait for another process's lock is the waiter's, not a hold
        info = _info(conn)
        if info is None:
            return
        if since_key not in info:
            info[since_key] = time.perf_counter()
        elif first_key not in info:  # the first after BEGIN IMMEDIATE: what the turn is for
            info[first_key] = " ".join(statement.split())[:120]

    def ended(conn: Connection, committed: bool) -> None:
        info = _info(conn)
        if info is None:
            return
        since = info.pop(since_key, None)
        first = info.pop(first_key, "")
        if since is None:
            return
        turn = WriteTurn(time.perf_counter() - since, first, committed)
        if observe is not None:
            observe(turn)
        elif turn.seconds > LONG_HOLD_S:
            logger.warning(
                "sqlite: a transaction held the writer for %.2f s (its first statement: %s)",
                turn.seconds,
                first,
            )

    @event.listens_for(engine.sync_engine, "commit")
    def commit(conn: Connection) -> None:
        ended(conn, True)

    @event.listens_for(engine.sync_engine, "rollback")
    def rollback(conn: Connection) -> None:
        ended(conn, False)


def is_write(statement: str) -> bool:
    """Whether SQL text writes (so needs the writer)."""
    return statement.lstrip()[:8].upper().startswith(WRITES)


def _info(conn: Connection) -> dict[Any, Any] | None:
    """The connection's `info`, or None on one that was invalidated (closed under a statement,
    a cancelled query): reaching its DBAPI connection then raises until it is rolled back."""
    if conn.invalidated or conn.closed:
        return None
    return conn.info


def _writes(clause: Any) -> bool:
    if clause is None:
        return False
    if isinstance(clause, UpdateBase):  # insert, update, delete
        return True
    if isinstance(clause, TextClause):
        return is_write(clause.text)
    return isinstance(clause, Select) and clause._for_update_arg is not None


def _make_transactional(engine: AsyncEngine, *, begin: str) -> None:
    """Let SQLAlchemy, not the sqlite3 driver, emit BEGIN (`begin`), so SAVEPOINTs and DDL
    rollback work; turn on foreign keys (off by default in SQLite) and WAL (readers beside the
    writer)."""

    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Connection) -> None:
        connection.exec_driver_sql(begin)

    @event.listens_for(engine.sync_engine, "invalidate")
    def abandon(_dbapi_connection: Any, record: ConnectionPoolEntry, _exception: Any) -> None:
        _roll_back_in_its_thread(record.driver_connection)


def _roll_back_in_its_thread(driver: Any) -> None:
    """A connection given up on (its statement's task cancelled: a deadline, a client gone)
    must let go of its transaction now. Its statement runs on in aiosqlite's thread, and the
    close SQLAlchemy then queues there leaves the transaction, the writer's write lock among
    it, held until the cancelled cursor is garbage-collected (sqlite3 closes a connection with
    a live statement as a "zombie"). So: interrupt the statement (thread-safe, by sqlite3's
    contract), and queue a rollback in the connection's thread ahead of that close. The private
    names are aiosqlite's sqlite3 connection (as SQLAlchemy's adaptor reads it) and its queue."""
    connection = getattr(driver, "_connection", None)
    queue = getattr(driver, "_tx", None)
    if connection is None or queue is None:
        return
    connection.interrupt()
    queue.put_nowait((None, connection.rollback))


def _refuse_writes(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def refused(_conn: Connection, _cursor: Any, statement: str, *_: Any) -> None:
        if is_write(statement):
            raise WriteOnReader(f"a write on a reader connection: {statement[:120]}")
