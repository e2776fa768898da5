"""The database's failures, classified where they happen: a connection that cannot be opened or
that breaks under a statement is `DatabaseUnavailable`, raised by the engine itself, so an
`OSError` or a `TimeoutError` elsewhere (a file, an outbound call) is never taken for one."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Dialect, ExceptionContext
from sqlalchemy.ext.asyncio import AsyncEngine

logger = logging.getLogger(__name__)


class DatabaseUnavailable(sa_exc.SQLAlchemyError):
    """The database cannot be reached now: no connection could be opened (refused, timed out,
    the server starting up, out of connections) or the one in use broke mid-statement."""


# PostgreSQL: query_canceled (the statement timeout), lock_not_available (the lock timeout),
# deadlock_detected and serialization_failure: the database is there, and too busy for now.
BUSY_SQLSTATES = {"57014", "55P03", "40P01", "40001"}
SQLITE_BUSY = ("database is locked", "database table is locked")

# PostgreSQL cannot store a NUL character (text 22021, JSON 22P05) nor a lone UTF-16 surrogate
# (the driver cannot encode it: 22000): request text holding one is invalid input, not a fault.
UNSTORABLE_SQLSTATES = {"22021", "22P05"}


def install_failure_mapping(engine: AsyncEngine) -> None:
    """Make `engine` raise `DatabaseUnavailable` for failures to connect and for a transport
    error (`OSError`, `TimeoutError`) under a statement; the driver's own errors stay
    SQLAlchemy's `DBAPIError`s, classified by the functions below."""

    @event.listens_for(engine.sync_engine, "do_connect")
    def connect(dialect: Dialect, _record: Any, cargs: Any, cparams: Any) -> Any:
        try:
            return dialect.connect(*cargs, **cparams)
        except Exception as exc:  # refused, timed out, "starting up", too many clients, ...
            logger.warning("database: cannot connect (%s: %s)", type(exc).__name__, exc)
            raise DatabaseUnavailable(f"cannot connect: {type(exc).__name__}") from exc

    @event.listens_for(engine.sync_engine, "handle_error")
    def transport_failed(context: ExceptionContext) -> BaseException | None:
        exc = context.original_exception
        if context.sqlalchemy_exception is None and isinstance(exc, OSError | TimeoutError):
            logger.warning("database: connection failed mid-statement (%s)", type(exc).__name__)
            context.is_disconnect = True  # so the pool discards that connection
            return DatabaseUnavailable(f"connection failed: {type(exc).__name__}")
        return None


def is_unstorable_text(exc: BaseException) -> bool:
    """True for text PostgreSQL cannot store (NUL, a lone surrogate): the input's fault."""
    if not isinstance(exc, sa_exc.DBAPIError) or exc.orig is None:
        return False
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return sqlstate in UNSTORABLE_SQLSTATES or (
        sqlstate == "22000" and "invalid input for query argument" in str(exc.orig)
    )


def is_database_busy(exc: BaseException) -> bool:
    """True for a wait the database gave up on (a pooled connection, a lock, a statement that
    ran past its timeout): it is reachable, and a retry will likely do."""
    if isinstance(exc, sa_exc.TimeoutError):  # no pooled connection came free in time
        return True
    if not isinstance(exc, sa_exc.DBAPIError):
        return False
    cause = exc.orig.__cause__ if exc.orig is not None else None
    sqlstate = getattr(exc.orig, "sqlstate", None) or getattr(cause, "sqlstate", None)
    return sqlstate in BUSY_SQLSTATES or any(text in str(exc.orig) for text in SQLITE_BUSY)


def is_database_unavailable(exc: BaseException) -> bool:
    """True for failures that mean 'the database cannot be reached now', not a bug of ours."""
    if isinstance(exc, DatabaseUnavailable):
        return True
    if isinstance(exc, sa_exc.DBAPIError):
        return exc.connection_invalidated or isinstance(
            exc, sa_exc.OperationalError | sa_exc.InterfaceError
        )
    return False
