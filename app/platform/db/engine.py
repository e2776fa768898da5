"""Engine and session factory for PostgreSQL (asyncpg) or the embedded SQLite file (aiosqlite)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session, SessionTransaction

from app.platform.core.environment import Environment
from app.platform.db.failures import install_failure_mapping
from app.platform.db.json_text import serialize
from app.platform.db.session_flags import Commit, forget, take_commit
from app.platform.db.sqlite_writer import create_sqlite_engine, session_base
from app.platform.observability.pool import MeteredQueuePool
from app.platform.observability.slow_queries import log_slow_queries

logger = logging.getLogger(__name__)


def asyncpg_dsn(database_url: str) -> str:
    """The SQLAlchemy URL as asyncpg's own `connect` takes it (for the connections held outside
    the pool: the scheduler's leadership lock, the change listener)."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def create_engine(environment: Environment) -> AsyncEngine:
    """Build the engine with timeouts, so a dead database fails fast instead of hanging requests."""
    db = environment.database
    if environment.is_sqlite:
        return create_sqlite_engine(environment, setup=lambda engine: _observe(engine, environment))
    engine = create_async_engine(
        environment.database_url,
        poolclass=MeteredQueuePool,
        pool_size=db.pool_size,
        max_overflow=db.max_overflow,
        pool_pre_ping=True,
        pool_timeout=db.connect_timeout_s,
        json_serializer=serialize,
        # A failing statement's parameters (a key's hash, a webhook secret, request text) stay
        # out of the exception's text, and so out of logs and stored errors.
        hide_parameters=True,
        connect_args={
            "timeout": db.connect_timeout_s,
            # The server cancels a statement or a lock wait that runs too long (a "busy" 503);
            # the client's own limit, a little later, catches a connection that went silent.
            "command_timeout": db.statement_timeout_s + 5,
            "server_settings": {
                "application_name": "mysymbols",
                "statement_timeout": str(int(db.statement_timeout_s * 1000)),
                "lock_timeout": str(int(db.statement_timeout_s * 1000)),
            },
        },
    )
    _observe(engine, environment)
    return engine


def _observe(engine: AsyncEngine, environment: Environment) -> None:
    install_failure_mapping(engine)
    log_slow_queries(engine, environment.database.slow_query_ms)


def create_sessionmaker(
    engine: AsyncEngine, on_commit: Callable[[Commit], None] | None = None
) -> async_sessionmaker[AsyncSession]:
    """Sessions on `engine`; `on_commit` follows every commit of every one of them, wherever
    it is made, with what the transaction wrote (see `app.platform.db.session_flags`)."""

    class AppSession(session_base(engine)):  # type: ignore[misc]  # chosen per engine
        """A class of this sessionmaker's own, so its listeners hear no other sessions (on
        SQLite, its reads beside the one writer)."""

    if on_commit is not None:
        _follow_commits(AppSession, on_commit)
    return async_sessionmaker(
        engine, expire_on_commit=False, autoflush=False, sync_session_class=AppSession
    )


def _follow_commits(session_class: type[Session], on_commit: Callable[[Commit], None]) -> None:
    @event.listens_for(session_class, "after_commit")
    def committed(session: Session) -> None:
        if session.in_nested_transaction():  # a savepoint released: nothing is committed yet
            return
        commit = take_commit(session)
        try:
            on_commit(commit)
        except Exception:  # the commit stands: its caller must not be told it failed
            logger.exception("after a commit: %s", commit)

    @event.listens_for(session_class, "after_transaction_end")
    def ended(session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is None:  # after a commit, taken already; after a rollback, void
            forget(session)
