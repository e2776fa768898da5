"""Engine and session factory for PostgreSQL (asyncpg) or the embedded SQLite file (aiosqlite)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from app.config import Settings
from app.db.failures import install_failure_mapping
from app.observability.pool import MeteredQueuePool
from app.observability.slow_queries import log_slow_queries


def create_engine(settings: Settings) -> AsyncEngine:
    """Build the engine with timeouts, so a dead database fails fast instead of hanging requests."""
    db = settings.database
    if settings.is_sqlite:
        engine = create_async_engine(
            settings.database_url, connect_args={"timeout": db.statement_timeout_s}
        )
        _make_sqlite_transactional(engine)
        install_failure_mapping(engine)
        log_slow_queries(engine, db.slow_query_ms)
        return engine
    engine = create_async_engine(
        settings.database_url,
        poolclass=MeteredQueuePool,
        pool_size=db.pool_size,
        max_overflow=db.max_overflow,
        pool_pre_ping=True,
        pool_timeout=db.connect_timeout_s,
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
    install_failure_mapping(engine)
    log_slow_queries(engine, db.slow_query_ms)
    return engine


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def _make_sqlite_transactional(engine: AsyncEngine) -> None:
    """Let SQLAlchemy, not the sqlite3 driver, emit BEGIN, so SAVEPOINTs and DDL rollback work.

    Also turns on foreign keys (off by default in SQLite) and WAL for concurrent readers.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")
