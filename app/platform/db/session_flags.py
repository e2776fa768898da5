"""What a transaction records for whoever follows its commit: the tables it wrote, and flags.

The tables are collected as the session writes (the ORM objects it flushes, and the insert,
update and delete statements it executes); the flags are set by repositories. Both are read
once, by the sessionmaker's commit hook (see `app.platform.db.engine.create_sessionmaker`), and
dropped when the transaction rolls back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session

PORTFOLIO_CHANGED = "portfolio_changed"
EVENTS_WRITTEN = "events_written"
RUNS_QUEUED = "runs_queued"
TABLES = "tables_written"
UNKNOWN_TABLE = "*"  # a write whose table could not be told: counts as any table

# Migration 0005: the tables the portfolio read shows (PostgreSQL notifies their changes).
PORTFOLIO_TABLES = frozenset(
    {"portfolio_member", "portfolio_history", "scoring_run", "system_configuration", "symbol"}
)
# Migration 0012: no cached read shows these; writing only them keeps the cached answers.
UNCACHED_TABLES = frozenset(
    {"event_outbox", "idempotency_key", "job_run", "webhook_delivery", "exchange_weight"}
)
# Migration 0035: columns no cached read shows; an update of these alone keeps the answers.
UNSHOWN_COLUMNS = {"api_key": frozenset({"last_used_at"})}
EVENT_TABLE = "event_outbox"
MEMBER_TABLE = "portfolio_member"  # who is in the portfolio (and their ranks and weights)


def mark_portfolio_changed(session: AsyncSession) -> None:
    """This transaction writes something the portfolio read shows; caches drop it on commit."""
    session.info[PORTFOLIO_CHANGED] = True


def mark_events_written(session: AsyncSession) -> None:
    """This transaction appends to the event outbox; streams wake up on commit."""
    session.info[EVENTS_WRITTEN] = True


def mark_run_queued(session: AsyncSession, run_id: int) -> None:
    """This transaction queues a replay or calibration run; it starts once committed."""
    session.info.setdefault(RUNS_QUEUED, []).append(run_id)


@dataclass(frozen=True)
class Commit:
    """What one committed transaction wrote."""

    tables: frozenset[str]
    portfolio_marked: bool = False
    events_marked: bool = False
    runs_queued: tuple[int, ...] = ()

    @property
    def portfolio_changed(self) -> bool:
        """Whether the portfolio read may show something else now."""
        return self.portfolio_marked or self._touches(PORTFOLIO_TABLES)

    @property
    def members_changed(self) -> bool:
        """Whether the membership may be another now (any write to the member rows)."""
        return self._touches({MEMBER_TABLE})

    @property
    def events_written(self) -> bool:
        return self.events_marked or self._touches({EVENT_TABLE})

    @property
    def shows_in_reads(self) -> bool:
        """Whether a cached read answer may be another now (any write but to UNCACHED_TABLES)."""
        return bool(self.tables - UNCACHED_TABLES)

    def _touches(self, tables: frozenset[str] | set[str]) -> bool:
        return UNKNOWN_TABLE in self.tables or not self.tables.isdisjoint(tables)


def take_commit(session: Session) -> Commit:
    """What the transaction just committed recorded; the session starts afresh."""
    info = session.info
    return Commit(
        tables=frozenset(info.pop(TABLES, ())),
        portfolio_marked=bool(info.pop(PORTFOLIO_CHANGED, False)),
        events_marked=bool(info.pop(EVENTS_WRITTEN, False)),
        runs_queued=tuple(info.pop(RUNS_QUEUED, ())),
    )


def forget(session: Session) -> None:
    """The transaction rolled back: nothing it recorded happened."""
    for key in (TABLES, PORTFOLIO_CHANGED, EVENTS_WRITTEN, RUNS_QUEUED):
        session.info.pop(key, None)


def _written(session: Session) -> set[str]:
    tables: set[str] = session.info.setdefault(TABLES, set())
    return tables


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    # After a flush the pending lists still hold what it wrote.
    written = _written(session)
    quiet = {instance for instance in session.dirty if _only_unshown_columns(instance)}
    changed = (*session.new, *(i for i in session.dirty if i not in quiet), *session.deleted)
    for mapped in {type(instance) for instance in changed}:
        written.update(table.name for table in inspect(mapped).tables)


def _only_unshown_columns(instance: object) -> bool:
    """Whether this update changes nothing but columns no cached read shows."""
    state = inspect(instance)
    unshown = UNSHOWN_COLUMNS.get(state.mapper.local_table.name)
    if not unshown:
        return False
    changed = {a.key for a in state.attrs if a.history.has_changes()}
    return bool(changed) and changed <= unshown


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        _written(state.session).add(getattr(table, "name", None) or UNKNOWN_TABLE)
