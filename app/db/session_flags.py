"""Flags a transaction carries to whoever commits it (the request or job boundary)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session

PORTFOLIO_CHANGED = "portfolio_changed"


def mark_portfolio_changed(session: AsyncSession) -> None:
    """This transaction writes something the portfolio read shows; caches drop it on commit."""
    session.info[PORTFOLIO_CHANGED] = True


def portfolio_changed(session: AsyncSession) -> bool:
    return bool(session.info.pop(PORTFOLIO_CHANGED, False))


EVENTS_WRITTEN = "events_written"


def mark_events_written(session: AsyncSession) -> None:
    """This transaction appends to the event outbox; streams wake up on commit."""
    session.info[EVENTS_WRITTEN] = True


def events_written(session: AsyncSession) -> bool:
    return bool(session.info.pop(EVENTS_WRITTEN, False))


RUNS_QUEUED = "runs_queued"


def mark_run_queued(session: AsyncSession, run_id: int) -> None:
    """This transaction queues a replay or calibration run; it starts once committed."""
    session.info.setdefault(RUNS_QUEUED, []).append(run_id)


def runs_queued(session: AsyncSession) -> list[int]:
    return list(session.info.pop(RUNS_QUEUED, []))


WROTE = "wrote"


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    session.info[WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE] = True


def wrote(session: AsyncSession) -> bool:
    """Whether this transaction wrote anything (through the ORM: flushes, insert/update/delete
    statements); read once, at its commit."""
    return bool(session.info.pop(WROTE, False))
